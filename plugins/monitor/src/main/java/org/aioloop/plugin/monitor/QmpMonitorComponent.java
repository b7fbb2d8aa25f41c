package org.aioloop.plugin.monitor;

import java.util.List;
import java.util.Map;

import org.aioloop.api.device.DeviceHandler;
import org.aioloop.api.device.DeviceRegistration;
import org.aioloop.api.host.LoopHost;
import org.aioloop.plugin.block.BlockFileDevice;
import org.aioloop.plugin.stream.RunDirectory;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The OSGi side of {@link QmpMonitor}: a Declarative Services component (PID {@code org.aioloop.monitor}, optional) that builds the
 * device from its configuration and only then registers it as a service ({@link DeviceHandler} only: the implementation package is private), with the
 * configuration as service properties.
 *
 * <p>Why the device is not itself the service component: SCR registers a component's service
 * before it constructs the component (delayed or immediate alike), and when the constructor rejects
 * the configuration the registration stays, every {@code getService} returns null and the host
 * logs "Service factory returned null". Built first, a bad configuration leaves no service at all.
 */
@Component(service = {}, immediate = true, configurationPid = QmpMonitor.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = {DeviceHandler.PROP_CONTEXT + "=iohandler", DeviceHandler.PROP_NAME + "=monitor"})
@Designate(ocd = QmpMonitor.Config.class)
public final class QmpMonitorComponent {
    // The block-file devices, for the block commands. The element type is Object so that nothing
    // here needs the (optional) block-file package unless a block command runs.
    @Reference(name = "blockDevices", service = BlockFileDevice.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<Object> blockDevices = List.of();
    private final DeviceRegistration registration;

    /**
     * Builds the device and registers it.
     *
     * @param bundleContext where to register
     * @param host          the host to inspect and steer (the core publishes it)
     * @param config        the configuration
     * @param properties    the component properties (configuration included)
     * @throws org.aioloop.api.InvalidConfigurationException naming a bad value; nothing is registered
     */
    @Activate
    public QmpMonitorComponent(BundleContext bundleContext, @Reference(name = "host") LoopHost host,
            QmpMonitor.Config config, Map<String, Object> properties) {
        // a relative Unix path goes to the host's run directory, not wherever the JVM was started
        QmpMonitor device = new QmpMonitor(host, config, bundleContext.getProperty(RunDirectory.PROPERTY),
                () -> blockDevices);
        registration = DeviceRegistration.register(bundleContext, device, properties);
    }

    /** Unregisters the device: the host detaches it before this returns. */
    @Deactivate
    void deactivate() {
        registration.close();
    }

}
