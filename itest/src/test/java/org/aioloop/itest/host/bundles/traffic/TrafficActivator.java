package org.aioloop.itest.host.bundles.traffic;

import java.util.Hashtable;

import org.aioloop.api.device.DeviceHandler;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * Registers one {@link TrafficDevice} named {@value #NAME} for the context named by the system
 * property {@value #CONTEXT_PROPERTY} (default {@code main}).
 */
public final class TrafficActivator implements BundleActivator {
    /** The device's name. */
    public static final String NAME = "itest-traffic";
    /** System property naming the context to attach to. */
    public static final String CONTEXT_PROPERTY = "itest.traffic.context";

    @Override
    public void start(BundleContext context) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(DeviceHandler.PROP_NAME, NAME);
        props.put(DeviceHandler.PROP_CONTEXT, System.getProperty(CONTEXT_PROPERTY, "main"));
        context.registerService(DeviceHandler.class, new TrafficDevice(NAME, context), props);
    }

    @Override
    public void stop(BundleContext context) {
        // the framework unregisters the service; the host detaches the device before that returns
    }
}
