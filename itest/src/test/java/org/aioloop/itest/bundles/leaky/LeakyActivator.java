package org.aioloop.itest.bundles.leaky;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * Test-bundle activator for the negative control: opens a pipe and starts a thread and does
 * <em>not</em> release them on stop, as a buggy plugin would. So the test can clean up afterwards,
 * it parks an {@link AutoCloseable} (a java.lang type both sides share) in the system properties
 * under {@link #HANDLE}.
 */
public final class LeakyActivator implements BundleActivator {
    /** System-properties key of the cleanup handle. */
    public static final String HANDLE = "itest.leaky.handle";

    @Override
    public void start(BundleContext context) throws IOException {
        Pipe pipe = Pipe.open();
        Thread t = new Thread(() -> {
            ByteBuffer buf = ByteBuffer.allocate(8);
            try {
                while (pipe.source().read(buf) >= 0) {
                    buf.clear();
                }
            } catch (IOException e) {
                // closed
            }
        }, "itest-leaky");
        t.setDaemon(true);
        t.start();
        AutoCloseable cleanup = () -> {
            pipe.sink().close();
            t.join(5_000);
            pipe.source().close();
        };
        System.getProperties().put(HANDLE, cleanup);
    }

    @Override
    public void stop(BundleContext context) {
        // deliberately leaks
    }
}
