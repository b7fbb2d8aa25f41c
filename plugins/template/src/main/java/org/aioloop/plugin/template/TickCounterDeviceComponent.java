package org.aioloop.plugin.template;

import java.util.Map;

import org.aioloop.api.device.DeviceHandler;
import org.aioloop.api.device.DeviceRegistration;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The OSGi side of {@link TickCounterDevice}: a Declarative Services component (PID
 * {@code org.aioloop.template}) that builds the device from its configuration and only then
 * registers it as a {@link DeviceHandler} service, with the configuration as service properties.
 *
 * <p>Why not make the device itself the service component: SCR registers a component's service
 * before it constructs the component (delayed or immediate alike), and when the constructor rejects
 * the configuration the registration stays, every {@code getService} returns null and the host
 * logs "Service factory returned null". Built first, a bad configuration leaves no service at all.
 */
@Component(service = {}, immediate = true, configurationPid = TickCounterDevice.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = {DeviceHandler.PROP_CONTEXT + "=" + "main", DeviceHandler.PROP_NAME + "=" + "template"})
@Designate(ocd = TickCounterDevice.Config.class)
public final class TickCounterDeviceComponent {
    private final DeviceRegistration registration;

    /**
     * Builds the device and registers it.
     *
     * @param bundleContext where to register
     * @param config        the configuration
     * @param properties    the component properties (configuration included)
     * @throws org.aioloop.api.InvalidConfigurationException naming a bad value; nothing is registered
     */
    @Activate
    public TickCounterDeviceComponent(BundleContext bundleContext, TickCounterDevice.Config config,
            Map<String, Object> properties) {
        TickCounterDevice device = new TickCounterDevice(config);
        registration = DeviceRegistration.register(bundleContext, device, properties);
    }

    /** Unregisters the device: the host detaches it before this returns. */
    @Deactivate
    void deactivate() {
        registration.close();
    }

}
