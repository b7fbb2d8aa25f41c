package org.aioloop.core;

import java.util.Objects;
import java.util.function.Supplier;
import org.aioloop.api.BackendUnavailableException;
import org.aioloop.api.ClockSource;
import org.aioloop.api.EventNotifier;
import org.aioloop.api.InvalidConfigurationException;
import org.aioloop.api.PollParams;
import org.aioloop.api.backend.FdMonitor;
import org.aioloop.api.backend.PollBackend;
import org.aioloop.core.aio.AioContextImpl;
import org.aioloop.posix.EventNotifiers;

/**
 * Builds AioContexts: the plain-Java entry point (no OSGi needed; backends come from
 * {@link BackendRegistry#shared()}, i.e. {@link java.util.ServiceLoader}).
 *
 * <pre>{@code
 * try (AioContextImpl ctx = AioContexts.builder().name("io1").build()) {
 *     ctx.setFdHandler(fd, (f, ev) -> handle(f), null);
 *     while (running) {
 *         ctx.poll(true);
 *     }
 * }
 * }</pre>
 */
public final class AioContexts {
    /** The backend name meaning "the best available by rank". */
    public static final String AUTO = "auto";
    /** QEMU's {@code EPOLL_ENABLE_THRESHOLD}. */
    public static final int DEFAULT_EPOLL_UPGRADE_THRESHOLD = 64;

    private AioContexts() {
    }

    /**
     * @return a builder with the defaults: name "aio", backend "auto", the shared registry, the
     *         system clocks, polling off (QEMU's {@code aio_context_new}), upgrade at 64 fds
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects a context's settings; {@link #build()} opens its notifier and monitor. */
    public static final class Builder {
        private String name = "aio";
        private String backend = AUTO;
        private BackendRegistry registry;
        private ClockSource clocks = SystemClockSource.INSTANCE;
        private PollParams pollParams = PollParams.OFF;
        private int epollUpgradeThreshold = DEFAULT_EPOLL_UPGRADE_THRESHOLD;
        private Thread homeThread;
        private Supplier<EventNotifier> notifiers = EventNotifiers::create;

        private Builder() {
        }

        /**
         * @param name the context's name
         * @return this
         */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * @param backend a backend name, or {@link #AUTO}
         * @return this
         */
        public Builder backend(String backend) {
            this.backend = Objects.requireNonNull(backend, "backend");
            return this;
        }

        /**
         * @param registry where backends are found
         * @return this
         */
        public Builder registry(BackendRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * @param clocks the clocks timers run on
         * @return this
         */
        public Builder clocks(ClockSource clocks) {
            this.clocks = Objects.requireNonNull(clocks, "clocks");
            return this;
        }

        /**
         * @param params busy-polling parameters (default off, as QEMU's main context)
         * @return this
         */
        public Builder pollParams(PollParams params) {
            this.pollParams = Objects.requireNonNull(params, "params");
            return this;
        }

        /**
         * @param fds upgrade from poll to epoll once this many fds are monitored; 0 = never
         * @return this
         * @throws InvalidConfigurationException if negative
         */
        public Builder epollUpgradeThreshold(int fds) {
            if (fds < 0) {
                throw new InvalidConfigurationException("epoll-upgrade-threshold", fds, "must be >= 0 (0 = off)");
            }
            this.epollUpgradeThreshold = fds;
            return this;
        }

        /**
         * @param thread the fixed home thread; by default the first thread that runs the context
         * @return this
         */
        public Builder homeThread(Thread thread) {
            this.homeThread = Objects.requireNonNull(thread, "thread");
            return this;
        }

        /**
         * @param factory makes the context's own notifier (default: eventfd via posix)
         * @return this
         */
        public Builder notifierFactory(Supplier<EventNotifier> factory) {
            this.notifiers = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /**
         * @return a new context
         * @throws BackendUnavailableException if the backend is unknown or unavailable, or none is
         *                                     available for "auto"
         */
        public AioContextImpl build() {
            BackendRegistry reg = registry != null ? registry : BackendRegistry.shared();
            PollBackend b;
            if (AUTO.equals(backend)) {
                b = reg.best();
                if (b == null) {
                    throw new BackendUnavailableException(AUTO, "no available backend (known: " + reg.names() + ")");
                }
            } else {
                b = reg.require(backend);
            }
            FdMonitor monitor = b.open();
            EventNotifier notifier;
            try {
                notifier = notifiers.get();
            } catch (RuntimeException e) {
                monitor.close();
                throw e;
            }
            try {
                return new AioContextImpl(name, reg, b.name(), monitor, notifier, clocks, pollParams,
                        epollUpgradeThreshold, homeThread);
            } catch (RuntimeException e) {
                monitor.close();
                notifier.close();
                throw e;
            }
        }
    }
}
