package org.aioloop.itest.host.bundles.faulty;

import java.util.Hashtable;
import java.util.concurrent.TimeUnit;

import org.aioloop.api.ClockType;
import org.aioloop.api.device.DeviceContext;
import org.aioloop.api.device.DeviceHandler;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * Two misbehaving devices on the main context: {@value #THROWING} throws from a bottom half right
 * after attaching; {@value #FORGETFUL} arms a timer and never closes it.
 */
public final class FaultyActivator implements BundleActivator {
    /** Throws from its bottom half. */
    public static final String THROWING = "itest-throwing";
    /** Leaks a timer named {@code forgotten}. */
    public static final String FORGETFUL = "itest-forgetful";
    /** The exception message of the throwing device. */
    public static final String BOOM = "itest boom";

    @Override
    public void start(BundleContext context) {
        context.registerService(DeviceHandler.class, new DeviceHandler() {
            @Override
            public String name() {
                return THROWING;
            }

            @Override
            public void attach(DeviceContext ctx) {
                ctx.newBottomHalf("boom", () -> {
                    throw new IllegalStateException(BOOM);
                }).schedule();
            }

            @Override
            public void detach(DeviceContext ctx) {
                // nothing of its own to release: the host deletes the bottom half
            }
        }, props(THROWING));
        context.registerService(DeviceHandler.class, new DeviceHandler() {
            @Override
            public String name() {
                return FORGETFUL;
            }

            @Override
            public void attach(DeviceContext ctx) {
                ctx.newTimer(ClockType.REALTIME, "forgotten", () -> { }).modIn(1, TimeUnit.HOURS);
            }

            @Override
            public void detach(DeviceContext ctx) {
                // forgets its timer on purpose
            }
        }, props(FORGETFUL));
    }

    private static Hashtable<String, Object> props(String name) {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put(DeviceHandler.PROP_NAME, name);
        return p;
    }

    @Override
    public void stop(BundleContext context) {
    }
}
