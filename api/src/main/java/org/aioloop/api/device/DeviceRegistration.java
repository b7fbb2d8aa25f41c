package org.aioloop.api.device;

import java.util.Hashtable;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * A device published as a {@link DeviceHandler} service by the small immediate DS component that
 * builds it (the pattern every aioloop device bundle uses; see the template plugin). OSGi only: the
 * plain-JPMS host finds devices through {@code ServiceLoader} and never loads this class.
 *
 * <p>Why a component registers the device itself instead of being the service: SCR registers a
 * component's service before constructing it, and when the constructor rejects the configuration
 * the registration stays, with every {@code getService} returning null. Built first, a device with
 * a bad configuration leaves no service at all.
 */
public final class DeviceRegistration implements AutoCloseable {
    private final ServiceRegistration<?> registration;

    private DeviceRegistration(ServiceRegistration<?> registration) {
        this.registration = registration;
    }

    /**
     * Registers {@code device} as a {@link DeviceHandler} (and under {@code alsoAs}, e.g. its own
     * class for other components to find) with the component's public properties.
     *
     * @param context             the component's bundle context
     * @param device              the device, already built
     * @param componentProperties the component properties, configuration included
     * @param alsoAs              further service interfaces or classes the device provides
     * @return the registration, to {@link #close()} at deactivation
     */
    public static DeviceRegistration register(BundleContext context, DeviceHandler device,
            Map<String, ?> componentProperties, Class<?>... alsoAs) {
        String[] names = new String[1 + alsoAs.length];
        names[0] = DeviceHandler.class.getName();
        for (int i = 0; i < alsoAs.length; i++) {
            names[i + 1] = alsoAs[i].getName();
        }
        return new DeviceRegistration(context.registerService(names, device, publicProperties(componentProperties)));
    }

    /**
     * @param componentProperties the component properties
     * @return those a service shows: DS keeps names starting with a dot private; null values dropped
     */
    public static Hashtable<String, Object> publicProperties(Map<String, ?> componentProperties) {
        Hashtable<String, Object> out = new Hashtable<>();
        componentProperties.forEach((k, v) -> {
            if (!k.startsWith(".") && v != null) {
                out.put(k, v);
            }
        });
        return out;
    }

    /**
     * Unregisters the device: the host detaches it before this returns. A registration the
     * framework already removed (the bundle is stopping) is fine.
     */
    @Override
    public void close() {
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework unregistered it already
        }
    }
}
