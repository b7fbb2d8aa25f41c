package org.aioloop.itest.host.bundles.traffic;

import java.nio.ByteBuffer;
import java.util.Hashtable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.aioloop.api.BottomHalf;
import org.aioloop.api.ClockType;
import org.aioloop.api.Timer;
import org.aioloop.api.device.DeviceContext;
import org.aioloop.api.device.DeviceHandler;
import org.aioloop.posix.Posix;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * A test device in its own bundle: owns a pipe, counts every byte through its read handler, keeps a
 * heartbeat timer and a bottom half, and publishes its counter as a {@link LongSupplier} service
 * (properties {@value #PROP_DEVICE}, {@value #PROP_WRITE_FD}) while attached, so the probe can push
 * bytes and read the count. It releases everything itself on detach.
 */
public final class TrafficDevice implements DeviceHandler {
    /** Counter service property: the device's name. */
    public static final String PROP_DEVICE = "itest.device";
    /** Counter service property: the pipe's write end. */
    public static final String PROP_WRITE_FD = "itest.writefd";

    private final String name;
    private final BundleContext bundleContext;
    private final AtomicLong received = new AtomicLong();
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(4096);
    private int[] pipe;
    private Timer heartbeat;
    private BottomHalf bh;
    private ServiceRegistration<LongSupplier> counter;

    TrafficDevice(String name, BundleContext bundleContext) {
        this.name = name;
        this.bundleContext = bundleContext;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void attach(DeviceContext ctx) {
        pipe = Posix.pipe2(Posix.O_NONBLOCK | Posix.O_CLOEXEC);
        ctx.setFdHandler(pipe[0], (fd, ev) -> drain(fd), null);
        bh = ctx.newBottomHalf("itest-bh", () -> { });
        heartbeat = ctx.newTimer(ClockType.REALTIME, "heartbeat", () -> heartbeat.modIn(10, TimeUnit.MILLISECONDS));
        heartbeat.modIn(10, TimeUnit.MILLISECONDS);
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(PROP_DEVICE, name);
        props.put(PROP_WRITE_FD, pipe[1]);
        LongSupplier count = received::get;
        counter = bundleContext.registerService(LongSupplier.class, count, props);
    }

    private void drain(int fd) {
        for (;;) {
            buffer.clear();
            int n = Posix.read(fd, buffer);
            if (n <= 0) {
                return;
            }
            received.addAndGet(n);
        }
    }

    @Override
    public void detach(DeviceContext ctx) {
        try {
            counter.unregister();
        } catch (IllegalStateException e) {
            // the bundle is stopping and the framework already took it
        }
        ctx.removeFdHandler(pipe[0]);
        heartbeat.close();
        bh.delete();
        Posix.close(pipe[0]);
        Posix.close(pipe[1]);
    }
}
