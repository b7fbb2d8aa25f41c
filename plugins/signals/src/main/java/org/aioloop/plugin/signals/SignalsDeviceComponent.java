package org.aioloop.plugin.signals;

import java.util.Map;

import org.aioloop.api.device.DeviceHandler;
import org.aioloop.api.device.DeviceRegistration;
import org.aioloop.api.host.LoopHost;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The OSGi side of {@link SignalsDevice}: an immediate Declarative Services component that, once the
 * core publishes its {@link LoopHost}, builds the device for it and only then registers it as a
 * {@link DeviceHandler} on the {@code main} context (the pattern every shipped device follows: a
 * service is never registered for a device that could not be built).
 */
@Component(service = {}, immediate = true,
        property = {DeviceHandler.PROP_CONTEXT + "=main", DeviceHandler.PROP_NAME + "=signals"})
public final class SignalsDeviceComponent {
    private final DeviceRegistration registration;

    /**
     * Builds the device and registers it.
     *
     * @param bundleContext where to register
     * @param host          the host the signals steer
     * @param properties    the component properties
     */
    @Activate
    public SignalsDeviceComponent(BundleContext bundleContext, @Reference(name = "host") LoopHost host,
            Map<String, Object> properties) {
        SignalsDevice device = SignalsDevice.forHost(String.valueOf(properties.get(DeviceHandler.PROP_NAME)), host);
        registration = DeviceRegistration.register(bundleContext, device, properties);
    }

    /** Unregisters the device: the host detaches it (and the JVM handlers go back) before this returns. */
    @Deactivate
    void deactivate() {
        registration.close();
    }

}
