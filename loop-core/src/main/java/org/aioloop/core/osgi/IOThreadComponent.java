package org.aioloop.core.osgi;

import java.util.Map;

import org.aioloop.api.AioException;
import org.aioloop.api.InvalidConfigurationException;
import org.aioloop.api.host.LoopHost;
import org.aioloop.core.host.IOThreadConfig;
import org.aioloop.core.host.LoopHostImpl;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * One IOThread per factory configuration of {@code org.aioloop.iothread}: creating the configuration
 * starts the thread, changing it reconfigures it live (poll parameters and pool limits; a new name
 * replaces the thread), deleting it stops the thread (its devices are detached first and wait,
 * PENDING, for it to come back).
 *
 * <p>A configuration with a bad value is rejected with a log line naming the key and the value; an
 * IOThread that runs keeps its previous configuration.
 */
@Component(service = {}, configurationPid = IOThreadConfig.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = IOThreadConfigDefinition.class, factory = true)
public final class IOThreadComponent {
    private static final System.Logger LOG = System.getLogger(IOThreadComponent.class.getName());

    @Reference
    private LoopHost host;
    private IOThreadConfig current;

    /** For SCR. */
    public IOThreadComponent() {
    }

    /**
     * For tests: a component bound to {@code host} without SCR.
     *
     * @param host the host
     */
    IOThreadComponent(LoopHost host) {
        this.host = host;
    }

    @Activate
    synchronized void activate(Map<String, Object> properties) {
        IOThreadConfig cfg = parse(properties);
        if (cfg != null) {
            start(cfg, pid(properties));
        }
    }

    @Modified
    synchronized void modified(Map<String, Object> properties) {
        IOThreadConfig next = parse(properties);
        if (next == null) {
            return;
        }
        if (current == null) {
            start(next, pid(properties));
        } else if (!current.name().equals(next.name())) {
            host.removeIOThread(current.name());
            current = null;
            start(next, pid(properties));
        } else {
            try {
                if (host instanceof LoopHostImpl impl) {
                    impl.reconfigureIOThread(next);
                } else {
                    host.removeIOThread(current.name());
                    host.addIOThread(next.name(), next.params(), next.poolMin(), next.poolMax());
                }
                current = next;
                LOG.log(System.Logger.Level.INFO, "IOThread '" + next.name() + "' reconfigured: " + next);
            } catch (AioException e) {
                LOG.log(System.Logger.Level.ERROR, "IOThread configuration " + pid(properties) + " rejected: "
                        + e.getMessage() + "; keeping " + current);
            }
        }
    }

    @Deactivate
    synchronized void deactivate() {
        if (current != null) {
            host.removeIOThread(current.name());
            current = null;
        }
    }

    private void start(IOThreadConfig cfg, Object pid) {
        try {
            host.addIOThread(cfg.name(), cfg.params(), cfg.poolMin(), cfg.poolMax());
            current = cfg;
        } catch (AioException e) {
            LOG.log(System.Logger.Level.ERROR, "IOThread configuration " + pid + " rejected: " + e.getMessage());
        }
    }

    private IOThreadConfig parse(Map<String, Object> properties) {
        try {
            return IOThreadConfig.parse(properties);
        } catch (InvalidConfigurationException e) {
            LOG.log(System.Logger.Level.ERROR, "IOThread configuration " + pid(properties) + " rejected: "
                    + e.getMessage() + (current == null ? "" : "; keeping " + current));
            return null;
        }
    }

    private static Object pid(Map<String, Object> properties) {
        return properties.get("service.pid");
    }
}
