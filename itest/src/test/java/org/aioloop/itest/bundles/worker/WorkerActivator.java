package org.aioloop.itest.bundles.worker;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.Hashtable;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * Test-bundle activator (packaged by TinyBundles, never used from the probe): a well-behaved bundle
 * that holds an fd pair (a pipe) and a thread while active and releases both in {@link #stop}.
 */
public final class WorkerActivator implements BundleActivator {
    /** Service property marking the worker's service. */
    public static final String PROP = "itest.worker";

    private Pipe pipe;
    private Thread drainer;

    @Override
    public void start(BundleContext context) throws IOException {
        pipe = Pipe.open();
        Pipe.SourceChannel source = pipe.source();
        drainer = new Thread(() -> drain(source), "itest-worker-" + context.getBundle().getBundleId());
        drainer.start();
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(PROP, context.getBundle().getSymbolicName());
        Pipe.SinkChannel sink = pipe.sink();
        context.registerService(Runnable.class, () -> {
            try {
                sink.write(ByteBuffer.wrap(new byte[] {1}));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, props);
    }

    private static void drain(Pipe.SourceChannel source) {
        ByteBuffer buf = ByteBuffer.allocate(64);
        try {
            while (source.read(buf) >= 0) {
                buf.clear();
            }
        } catch (IOException e) {
            // closed: done
        }
    }

    @Override
    public void stop(BundleContext context) throws Exception {
        pipe.sink().close(); // EOF ends the drainer
        drainer.join(5_000);
        pipe.source().close();
        if (drainer.isAlive()) {
            throw new IllegalStateException("drainer did not end");
        }
    }
}
