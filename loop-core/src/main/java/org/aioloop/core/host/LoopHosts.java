package org.aioloop.core.host;

import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;

import org.aioloop.api.ClockSource;
import org.aioloop.api.device.DeviceHandler;
import org.aioloop.core.BackendRegistry;
import org.aioloop.core.SystemClockSource;

/**
 * Starts a {@link LoopHostImpl} without OSGi: the "same jars also run as plain JPMS modules" entry
 * point.
 *
 * <pre>{@code
 * try (LoopHostImpl host = LoopHosts.startFromServiceLoader()) {   // backends and devices via ServiceLoader
 *     host.addIOThread("io1", PollParams.DEFAULT, 0, 8);
 *     host.awaitShutdown();                                       // until host.shutdown()
 * }
 * }</pre>
 */
public final class LoopHosts {
    private LoopHosts() {
    }

    /**
     * @return a builder with the defaults: {@link HostConfig#DEFAULT}, backends from
     *         {@link BackendRegistry#shared()}, the system clocks
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts a host whose backends and devices are the {@link ServiceLoader} providers visible to
     * this module ({@code provides org.aioloop.api.backend.PollBackend} / {@code DeviceHandler}).
     *
     * @return the running host
     */
    public static LoopHostImpl startFromServiceLoader() {
        LoopHostImpl host = builder().registry(BackendRegistry.fromServiceLoader()).build();
        for (DeviceHandler device : ServiceLoader.load(DeviceHandler.class, LoopHosts.class.getClassLoader())) {
            host.addDevice(device, Map.of());
        }
        return host;
    }

    /** Collects a host's settings; {@link #build()} starts its main loop thread. */
    public static final class Builder {
        BackendRegistry registry;
        ClockSource clocks = SystemClockSource.INSTANCE;
        HostConfig config = HostConfig.DEFAULT;
        Runnable onShutdown;
        Runnable onReload;
        String mainThreadName = LoopHostImpl.MAIN_THREAD;

        private Builder() {
        }

        /**
         * @param registry the backends (an OSGi host feeds its own from the service registry)
         * @return this
         */
        public Builder registry(BackendRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * @param clocks the clocks shared by every context
         * @return this
         */
        public Builder clocks(ClockSource clocks) {
            this.clocks = Objects.requireNonNull(clocks, "clocks");
            return this;
        }

        /**
         * @param config the initial configuration
         * @return this
         */
        public Builder config(HostConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * @param hook what {@link LoopHostImpl#shutdown()} does (OSGi: stop the framework); default:
         *             close the host on a separate thread
         * @return this
         */
        public Builder onShutdown(Runnable hook) {
            this.onShutdown = Objects.requireNonNull(hook, "hook");
            return this;
        }

        /**
         * @param hook what {@link LoopHostImpl#reloadConfiguration()} does; default: re-apply the
         *             current configuration
         * @return this
         */
        public Builder onReload(Runnable hook) {
            this.onReload = Objects.requireNonNull(hook, "hook");
            return this;
        }

        /**
         * @param name the main loop thread's name (default {@value LoopHostImpl#MAIN_THREAD})
         * @return this
         */
        public Builder mainThreadName(String name) {
            this.mainThreadName = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * @return a running host: the main loop iterates on its own thread
         * @throws org.aioloop.api.BackendUnavailableException if no backend is available
         */
        public LoopHostImpl build() {
            return new LoopHostImpl(this);
        }
    }
}
