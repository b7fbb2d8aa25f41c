package org.aioloop.core;

import java.util.Objects;

import org.aioloop.api.AioContext;
import org.aioloop.api.BackendUnavailableException;
import org.aioloop.api.ClockSource;
import org.aioloop.api.EventNotifier;
import org.aioloop.api.MainLoop;
import org.aioloop.api.backend.PollBackend;
import org.aioloop.core.aio.AioContextImpl;
import org.aioloop.core.main.CurrentContext;
import org.aioloop.core.main.MainContextImpl;
import org.aioloop.core.main.MainLoopImpl;
import org.aioloop.core.pool.ThreadPool;
import org.aioloop.posix.EventNotifiers;

/**
 * Builds QEMU's main loop without OSGi (the plain-Java entry point): a GLib-style main context
 * with the main AioContext and the iohandler context attached as sources.
 *
 * <pre>{@code
 * try (MainLoops.Loop loop = MainLoops.builder().build()) {
 *     loop.aioContext().scheduleOneshot(() -> System.out.println("hello"));
 *     loop.run();                    // until loop.quit(), from any thread
 * }
 * }</pre>
 */
public final class MainLoops {
    /** The main context's default backend: GLib rebuilds its poll set every iteration, as poll(2) wants. */
    public static final String DEFAULT_MAIN_CONTEXT_BACKEND = "poll";

    private MainLoops() {
    }

    /**
     * A main loop that can be closed: closing releases both AioContexts, the main context, the
     * main-loop timers and every fd they opened.
     */
    public interface Loop extends MainLoop, AutoCloseable {
        /** Releases everything; call it when {@link #run()} has returned. Idempotent. */
        @Override
        void close();
    }

    /**
     * @return a builder with the defaults: AioContexts on the best backend ("auto"), the main
     *         context on "poll", the shared backend registry, the system clocks
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * QEMU's {@code qemu_get_current_aio_context}: the context of the calling thread.
     *
     * @return an IOThread's context inside that IOThread, the main AioContext in the thread that
     *         iterates a main loop, else null (never the iohandler context)
     */
    public static AioContext currentContext() {
        return CurrentContext.get();
    }

    /** Collects the loop's settings. */
    public static final class Builder {
        private String backend = AioContexts.AUTO;
        private String mainContextBackend = DEFAULT_MAIN_CONTEXT_BACKEND;
        private BackendRegistry registry;
        private ClockSource clocks = SystemClockSource.INSTANCE;
        private int poolMin = 0;
        private int poolMax = ThreadPool.DEFAULT_MAX_THREADS;
        private int epollUpgradeThreshold = AioContexts.DEFAULT_EPOLL_UPGRADE_THRESHOLD;

        private Builder() {
        }

        /**
         * @param fds both AioContexts upgrade from poll to epoll at this many fds; 0 = never
         * @return this
         * @throws org.aioloop.api.InvalidConfigurationException if negative
         */
        public Builder epollUpgradeThreshold(int fds) {
            AioContexts.builder().epollUpgradeThreshold(fds); // validates with the context's rule
            this.epollUpgradeThreshold = fds;
            return this;
        }

        /**
         * @param backend the AioContexts' backend name, or {@link AioContexts#AUTO}
         * @return this
         */
        public Builder backend(String backend) {
            this.backend = Objects.requireNonNull(backend, "backend");
            return this;
        }

        /**
         * @param backend the main context's backend name (default {@value #DEFAULT_MAIN_CONTEXT_BACKEND}
         *                when available, else the best one), or {@link AioContexts#AUTO}
         * @return this
         */
        public Builder mainContextBackend(String backend) {
            this.mainContextBackend = Objects.requireNonNull(backend, "backend");
            return this;
        }

        /**
         * @param registry where backends are found (default {@link BackendRegistry#shared()})
         * @return this
         */
        public Builder registry(BackendRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * @param clocks the clocks of every timer and ready time of the loop
         * @return this
         */
        public Builder clocks(ClockSource clocks) {
            this.clocks = Objects.requireNonNull(clocks, "clocks");
            return this;
        }

        /**
         * @param min the main AioContext's thread-pool minimum ({@code thread-pool-min})
         * @param max its maximum ({@code thread-pool-max})
         * @return this
         * @throws org.aioloop.api.InvalidConfigurationException if the limits are invalid
         */
        public Builder threadPoolLimits(int min, int max) {
            validatePoolLimits(min, max);
            this.poolMin = min;
            this.poolMax = max;
            return this;
        }

        /**
         * @return a new loop; nothing runs until {@link MainLoop#run()} or
         *         {@link MainLoop#mainLoopWait(boolean)} is called
         * @throws BackendUnavailableException if a named backend is unknown or unavailable
         */
        public Loop build() {
            BackendRegistry reg = registry != null ? registry : BackendRegistry.shared();
            PollBackend mcBackend = mainContextBackend(reg);
            AioContextImpl aio = null;
            AioContextImpl io = null;
            EventNotifier notifier = null;
            try {
                aio = AioContexts.builder().name(AioContext.MAIN).backend(backend).registry(reg).clocks(clocks)
                        .epollUpgradeThreshold(epollUpgradeThreshold).build();
                aio.setThreadPoolLimits(poolMin, poolMax);
                io = AioContexts.builder().name(AioContext.IOHANDLER).backend(backend).registry(reg).clocks(clocks)
                        .epollUpgradeThreshold(epollUpgradeThreshold).build();
                notifier = EventNotifiers.create();
                // follows the registry: if its backend leaves, the wait set moves to the best remaining one
                MainContextImpl mc = new MainContextImpl("main-context", clocks, reg, mcBackend, notifier);
                return new MainLoopImpl(mc, aio, io);
            } catch (RuntimeException | Error e) {
                closeQuietly(aio);
                closeQuietly(io);
                closeQuietly(notifier);
                throw e;
            }
        }

        private PollBackend mainContextBackend(BackendRegistry reg) {
            if (AioContexts.AUTO.equals(mainContextBackend)) {
                return best(reg);
            }
            if (DEFAULT_MAIN_CONTEXT_BACKEND.equals(mainContextBackend)) {
                PollBackend b = reg.byName(mainContextBackend);
                return b != null && b.isAvailable() ? b : best(reg);
            }
            return reg.require(mainContextBackend);
        }

        private static PollBackend best(BackendRegistry reg) {
            PollBackend b = reg.best();
            if (b == null) {
                throw new BackendUnavailableException(AioContexts.AUTO,
                        "no available backend (known: " + reg.names() + ")");
            }
            return b;
        }

        private static void closeQuietly(AutoCloseable c) {
            if (c == null) {
                return;
            }
            try {
                c.close();
            } catch (Exception ignored) {
                // already failing: the original exception is what the caller needs
            }
        }
    }

    /**
     * Validates thread-pool limits with the pool's own rules and keys.
     *
     * @param min the minimum
     * @param max the maximum
     * @throws org.aioloop.api.InvalidConfigurationException naming {@link ThreadPool#KEY_MIN} or
     *                                                       {@link ThreadPool#KEY_MAX}
     */
    static void validatePoolLimits(int min, int max) {
        if (min < 0) {
            throw new org.aioloop.api.InvalidConfigurationException(ThreadPool.KEY_MIN, min, "must be >= 0");
        }
        if (max <= 0) {
            throw new org.aioloop.api.InvalidConfigurationException(ThreadPool.KEY_MAX, max, "must be > 0");
        }
        if (min > max) {
            throw new org.aioloop.api.InvalidConfigurationException(ThreadPool.KEY_MIN, min,
                    "must be <= " + ThreadPool.KEY_MAX + " (" + max + ")");
        }
    }
}
