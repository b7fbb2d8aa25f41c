package org.aioloop.core.osgi;

import java.util.HashMap;
import java.util.Hashtable;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.aioloop.api.AioContext;
import org.aioloop.api.AioException;
import org.aioloop.api.EventSource;
import org.aioloop.api.InvalidConfigurationException;
import org.aioloop.api.MainLoop;
import org.aioloop.api.SourceHandle;
import org.aioloop.api.backend.PollBackend;
import org.aioloop.api.device.DeviceHandler;
import org.aioloop.api.host.LoopHost;
import org.aioloop.core.BackendRegistry;
import org.aioloop.core.host.ContextListener;
import org.aioloop.core.host.HostConfig;
import org.aioloop.core.host.LoopHostImpl;
import org.aioloop.core.host.LoopHosts;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The host as an OSGi component: builds a {@link LoopHostImpl} (configuration PID
 * {@code org.aioloop.core}), publishes {@link LoopHost}, {@link MainLoop} and every {@link AioContext}
 * (properties {@value #PROP_CONTEXT} and {@value #PROP_THREAD}), and composes what the registry
 * offers: every {@link PollBackend}, every {@link DeviceHandler} (whiteboard) and every
 * {@link EventSource} (attached to the main context).
 *
 * <p>Dynamic references are bound on SCR or framework threads, possibly before or during
 * activation: until the host exists they are parked here, then handed over in order. Unbinding a
 * backend or a device returns only after the loop has let go of it (bounded), because the caller is
 * usually a bundle that is stopping and whose classes must not run afterwards.
 *
 * <p>The component needs at least one backend: without any, no context can wait, so the host is
 * torn down when the last backend leaves and rebuilt when one comes back.
 */
@Component(immediate = true, service = {}, configurationPid = HostConfig.PID)
@Designate(ocd = HostConfigDefinition.class)
public final class HostComponent {
    /** Service property of a published AioContext: its name. */
    public static final String PROP_CONTEXT = "aioloop.context";
    /** Service property of a published AioContext: its home thread's name. */
    public static final String PROP_THREAD = "aioloop.thread";
    /** LoopHost service property: the backend the configuration asks for. */
    public static final String PROP_CONFIG_BACKEND = "aioloop.config.backend";
    /** LoopHost service property: how many configuration dictionaries were processed (applied or rejected). */
    public static final String PROP_CONFIG_GENERATION = "aioloop.config.generation";
    /** LoopHost service property: why the last rejected configuration was rejected (absent if none). */
    public static final String PROP_CONFIG_ERROR = "aioloop.config.error";
    /** Service property naming an EventSource (default: its class name). */
    public static final String PROP_SOURCE_NAME = "aioloop.source";

    private static final System.Logger LOG = System.getLogger(HostComponent.class.getName());

    private final Object lock = new Object();
    private final BackendRegistry registry = new BackendRegistry();
    private final Map<DeviceHandler, Map<String, Object>> parkedDevices = new IdentityHashMap<>();
    private final Map<EventSource, Map<String, Object>> parkedSources = new IdentityHashMap<>();
    private final Map<EventSource, SourceHandle> sources = new IdentityHashMap<>();
    private final Map<String, ServiceRegistration<AioContext>> contextRegistrations = new HashMap<>();

    private LoopHostImpl host;
    private volatile BundleContext bundleContext;
    private ServiceRegistration<LoopHost> hostRegistration;
    private ServiceRegistration<MainLoop> mainLoopRegistration;
    private AutoCloseable contextListener;
    private Map<String, Object> lastProperties = Map.of();
    private long configGeneration;
    private String configError;

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        HostConfig config;
        try {
            config = HostConfig.parse(properties);
        } catch (InvalidConfigurationException e) {
            LOG.log(System.Logger.Level.ERROR, "configuration " + HostConfig.PID + " rejected: " + e.getMessage()
                    + "; starting with the defaults");
            config = HostConfig.DEFAULT;
            configError = e.getMessage();
        }
        synchronized (lock) {
            configGeneration++;
            bundleContext = context;
            lastProperties = new LinkedHashMap<>(properties);
            host = LoopHosts.builder()
                    .registry(registry)
                    .config(config)
                    .onShutdown(this::stopFramework)
                    .onReload(this::reload)
                    .build();
            contextListener = host.addContextListener(new ContextListener() {
                @Override
                public void contextAdded(AioContext ctx, String threadName) {
                    registerContext(ctx, threadName);
                }

                @Override
                public void contextRemoved(AioContext ctx) {
                    unregisterContext(ctx.name());
                }
            });
            hostRegistration = context.registerService(LoopHost.class, host, hostProperties());
            mainLoopRegistration = context.registerService(MainLoop.class, host.mainLoop(), serviceProperties());
            parkedDevices.forEach(this::addDeviceToHost);
            parkedDevices.clear();
            parkedSources.forEach(this::attachSource);
            parkedSources.clear();
        }
        LOG.log(System.Logger.Level.INFO, "aioloop host started: backend " + config.backend() + ", backends "
                + registry.names());
    }

    @Modified
    void modified(Map<String, Object> properties) {
        synchronized (lock) {
            lastProperties = new LinkedHashMap<>(properties);
            applyLocked(properties);
        }
    }

    @Deactivate
    void deactivate() {
        synchronized (lock) {
            for (SourceHandle h : sources.values()) {
                h.destroy();
            }
            sources.clear();
            unregisterQuietly(hostRegistration);
            unregisterQuietly(mainLoopRegistration);
            hostRegistration = null;
            mainLoopRegistration = null;
            try {
                contextListener.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.DEBUG, "closing the context listener", e);
            }
            synchronized (contextRegistrations) {
                contextRegistrations.values().forEach(HostComponent::unregisterQuietly);
                contextRegistrations.clear();
            }
            host.close();
            host = null;
            bundleContext = null;
        }
    }

    // ---- backends ------------------------------------------------------------------------------

    @Reference(cardinality = ReferenceCardinality.AT_LEAST_ONE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addBackend(PollBackend backend) {
        LoopHostImpl h = currentHost();
        if (h == null) {
            registry.add(backend);
        } else {
            h.addBackend(backend);
        }
    }

    void removeBackend(PollBackend backend) {
        LoopHostImpl h = currentHost();
        if (h == null) {
            registry.remove(backend);
        } else {
            h.removeBackend(backend);
        }
    }

    // ---- devices -------------------------------------------------------------------------------

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addDevice(DeviceHandler device, Map<String, Object> properties) {
        synchronized (lock) {
            if (host == null) {
                parkedDevices.put(device, properties);
                return;
            }
        }
        addDeviceToHost(device, properties);
    }

    void updatedDevice(DeviceHandler device, Map<String, Object> properties) {
        removeDevice(device);
        addDevice(device, properties);
    }

    void removeDevice(DeviceHandler device) {
        LoopHostImpl h;
        synchronized (lock) {
            if (parkedDevices.remove(device) != null) {
                return;
            }
            h = host;
        }
        if (h != null) {
            h.removeDevice(device);
        }
    }

    private void addDeviceToHost(DeviceHandler device, Map<String, Object> properties) {
        LoopHostImpl h = currentHost();
        if (h == null) {
            return;
        }
        try {
            h.addDevice(device, properties);
        } catch (AioException e) {
            LOG.log(System.Logger.Level.ERROR, "device service " + properties.get("service.id") + " ("
                    + device.getClass().getName() + ") rejected: " + e.getMessage());
        }
    }

    // ---- event sources -------------------------------------------------------------------------

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addSource(EventSource source, Map<String, Object> properties) {
        synchronized (lock) {
            if (host == null) {
                parkedSources.put(source, properties);
                return;
            }
            attachSource(source, properties);
        }
    }

    void removeSource(EventSource source) {
        SourceHandle handle;
        LoopHostImpl h;
        synchronized (lock) {
            parkedSources.remove(source);
            handle = sources.remove(source);
            h = host;
        }
        if (handle != null && h != null) {
            h.detachSource(handle);
        }
    }

    private void attachSource(EventSource source, Map<String, Object> properties) {
        Object n = properties.get(PROP_SOURCE_NAME);
        String name = n == null ? source.getClass().getName() : n.toString();
        try {
            int priority = sourcePriority(properties.get(EventSource.PROP_PRIORITY));
            sources.put(source, host.attachSource(source, name, priority));
        } catch (AioException e) {
            LOG.log(System.Logger.Level.ERROR, "event source '" + name + "' rejected: " + e.getMessage());
        }
    }

    static int sourcePriority(Object value) {
        if (value == null) {
            return org.aioloop.api.MainContext.PRIORITY_DEFAULT;
        }
        if (value instanceof Number num) {
            return num.intValue();
        }
        try {
            return Integer.parseInt(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new InvalidConfigurationException(EventSource.PROP_PRIORITY, value, "must be an integer");
        }
    }

    // ---- configuration, life cycle ---------------------------------------------------------------

    private void applyLocked(Map<String, ?> properties) {
        if (host == null) {
            return;
        }
        try {
            HostConfig next = HostConfig.parse(properties);
            host.applyConfig(next);
            configError = null;
            LOG.log(System.Logger.Level.INFO, "configuration " + HostConfig.PID + " applied: " + next);
        } catch (InvalidConfigurationException e) {
            configError = e.getMessage();
            LOG.log(System.Logger.Level.ERROR, "configuration " + HostConfig.PID + " rejected: " + e.getMessage()
                    + "; keeping " + host.config());
        }
        configGeneration++;
        if (hostRegistration != null) {
            hostRegistration.setProperties(hostProperties());
        }
    }

    /** The LoopHost service's properties: they tell tools (and tests) which configuration is in force. */
    private Hashtable<String, Object> hostProperties() {
        Hashtable<String, Object> p = serviceProperties();
        p.put(PROP_CONFIG_BACKEND, host.config().backend());
        p.put(PROP_CONFIG_GENERATION, configGeneration);
        if (configError != null) {
            p.put(PROP_CONFIG_ERROR, configError);
        }
        return p;
    }

    /** SIGHUP: validate and apply the last configuration ConfigAdmin gave us again. */
    private void reload() {
        synchronized (lock) {
            applyLocked(lastProperties);
        }
    }

    /** The host's shutdown request stops the whole framework (bundle 0), off the caller's thread. */
    private void stopFramework() {
        BundleContext bc = bundleContext;
        if (bc == null) {
            return;
        }
        Thread t = new Thread(() -> {
            try {
                bc.getBundle(0).stop();
            } catch (BundleException | IllegalStateException e) {
                LOG.log(System.Logger.Level.ERROR, "stopping the framework failed", e);
            }
        }, "aioloop-shutdown");
        t.setDaemon(false);
        t.start();
    }

    private void registerContext(AioContext ctx, String threadName) {
        // No component lock here: the host calls this from whichever thread added the context.
        BundleContext bc = bundleContext;
        if (bc == null) {
            return;
        }
        Hashtable<String, Object> props = serviceProperties();
        props.put(PROP_CONTEXT, ctx.name());
        props.put(PROP_THREAD, threadName == null ? "" : threadName);
        ServiceRegistration<AioContext> reg = bc.registerService(AioContext.class, ctx, props);
        ServiceRegistration<AioContext> old;
        synchronized (contextRegistrations) {
            old = contextRegistrations.put(ctx.name(), reg);
        }
        unregisterQuietly(old);
    }

    private void unregisterContext(String name) {
        ServiceRegistration<AioContext> reg;
        synchronized (contextRegistrations) {
            reg = contextRegistrations.remove(name);
        }
        unregisterQuietly(reg);
    }

    private LoopHostImpl currentHost() {
        synchronized (lock) {
            return host;
        }
    }

    private static Hashtable<String, Object> serviceProperties() {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("service.vendor", "aioloop");
        return p;
    }

    private static void unregisterQuietly(ServiceRegistration<?> reg) {
        if (reg == null) {
            return;
        }
        try {
            reg.unregister();
        } catch (IllegalStateException e) {
            // already unregistered (bundle stopping)
        }
    }
}
