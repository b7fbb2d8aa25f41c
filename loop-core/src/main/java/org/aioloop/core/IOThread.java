package org.aioloop.core;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import org.aioloop.api.AioContext;
import org.aioloop.api.ClockSource;
import org.aioloop.api.ContextClosedException;
import org.aioloop.api.PollParams;
import org.aioloop.api.host.IOThreadInfo;
import org.aioloop.core.aio.AioContextImpl;
import org.aioloop.core.main.CurrentContext;
import org.aioloop.core.pool.ThreadPool;

/**
 * QEMU's IOThread ({@code iothread.c}): a named thread ({@code "IO <name>"}) with its own
 * AioContext that loops on {@code poll(true)}, with its own busy-polling parameters (QEMU's
 * default {@code poll-max-ns} 32768) and thread-pool limits.
 *
 * <ul>
 * <li>{@link #start()} starts the thread and returns once it runs its loop; its context's home
 *     thread is the IOThread, and {@link MainLoops#currentContext()} there is its context.</li>
 * <li>{@link #stop()} schedules a one-shot bottom half that clears the running flag (QEMU's
 *     {@code iothread_stop_bh}; scheduling kicks the loop), then joins the thread. The thread closes
 *     its context on the way out, so its handlers, bottom halves, timers, pool threads, notifier and
 *     monitor fds are all gone when {@code stop()} returns. Idempotent.</li>
 * <li>Work for the thread: {@link #execute(Runnable)} and {@link #submit(Callable)} from any thread;
 *     after {@code stop()} they throw {@link ContextClosedException}.</li>
 * </ul>
 */
public final class IOThread implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(IOThread.class.getName());

    private final String name;
    private final PollParams params;
    private final int poolMin;
    private final int poolMax;
    private final Thread thread;
    private final AioContextImpl context;
    private final CountDownLatch looping = new CountDownLatch(1);
    private final Object stateLock = new Object();
    /** Written by the IOThread's own stop bottom half; read by its loop. */
    private volatile boolean running = true;
    private boolean started;
    private boolean stopped;
    private volatile Throwable failure;

    private IOThread(Builder b) {
        this.name = b.name;
        this.params = b.params;
        this.poolMin = b.poolMin;
        this.poolMax = b.poolMax;
        this.thread = new Thread(this::loop, "IO " + name);
        this.thread.setDaemon(b.daemon);
        this.context = b.context.homeThread(thread).build();
        try {
            context.setThreadPoolLimits(poolMin, poolMax);
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    /**
     * @param name the IOThread's id (its context's name; the thread is named {@code "IO <name>"})
     * @return a builder with QEMU's IOThread defaults
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /**
     * @return the id
     */
    public String name() {
        return name;
    }

    /**
     * @return the IOThread's context
     */
    public AioContext context() {
        return context;
    }

    /**
     * @return the Java thread (not yet started before {@link #start()})
     */
    public Thread thread() {
        return thread;
    }

    /**
     * Starts the thread and waits until it loops. Idempotent while running.
     *
     * @return this
     * @throws ContextClosedException if the IOThread was stopped
     */
    public IOThread start() {
        synchronized (stateLock) {
            if (stopped) {
                throw new ContextClosedException("IOThread '" + name + "'");
            }
            if (started) {
                return this;
            }
            started = true;
            thread.start();
        }
        boolean interrupted = false;
        for (;;) {
            try {
                looping.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return this;
    }

    /**
     * @return whether the thread runs its loop
     */
    public boolean isRunning() {
        return thread.isAlive() && running;
    }

    /**
     * Stops the thread (QEMU's {@code iothread_stop}) and waits for it to end; its context is closed
     * by then. Idempotent. Called from the IOThread itself it only asks the loop to end.
     */
    public void stop() {
        boolean wasStarted;
        boolean first;
        synchronized (stateLock) {
            first = !stopped;
            stopped = true;
            wasStarted = started;
        }
        if (!wasStarted) {
            context.close();
            return;
        }
        if (first) {
            try {
                context.scheduleOneshot(() -> running = false);
            } catch (ContextClosedException e) {
                running = false; // closed under us: the loop's poll throws and the loop ends
            }
        }
        if (Thread.currentThread() == thread) {
            return;
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /**
     * Runs {@code task} once on the IOThread (a one-shot bottom half). Any thread.
     *
     * @param task the task
     * @throws ContextClosedException if the IOThread was stopped
     */
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        checkNotStopped();
        context.scheduleOneshot(task);
    }

    /**
     * Runs blocking {@code work} on the IOThread's pool; the future completes on the IOThread. Any
     * thread (the submission hops to the IOThread first, as QEMU requires it there).
     *
     * @param work the blocking work
     * @param <T>  its result type
     * @return completed on the IOThread with the result; cancellable while queued
     * @throws ContextClosedException if the IOThread was stopped
     */
    public <T> CompletableFuture<T> submit(Callable<T> work) {
        Objects.requireNonNull(work, "work");
        checkNotStopped();
        if (Thread.currentThread() == thread) {
            return context.submitBlocking(work);
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        context.scheduleOneshot(() -> {
            try {
                context.submitBlocking(work).whenComplete((v, e) -> {
                    if (e != null) {
                        result.completeExceptionally(e);
                    } else {
                        result.complete(v);
                    }
                });
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private void checkNotStopped() {
        synchronized (stateLock) {
            if (stopped) {
                throw new ContextClosedException("IOThread '" + name + "'");
            }
        }
    }

    /**
     * @return what a host reports about this IOThread
     */
    public IOThreadInfo info() {
        return new IOThreadInfo(name, thread.getName(), context.pollParams(), poolMin, poolMax,
                context.backendName());
    }

    /**
     * @return what made the loop end abnormally, or null
     */
    public Throwable failure() {
        return failure;
    }

    /** QEMU's {@code iothread_run}. */
    private void loop() {
        CurrentContext.set(context);
        looping.countDown();
        try {
            while (running) {
                context.poll(true);
            }
        } catch (ContextClosedException e) {
            // closed by its owner while running: nothing left to serve
        } catch (Throwable e) {
            failure = e;
            LOG.log(System.Logger.Level.ERROR, "IOThread '" + name + "' loop failed", e);
        } finally {
            context.close(); // home thread, outside any pass: releases everything now
            CurrentContext.set(null);
        }
    }

    @Override
    public String toString() {
        return "IOThread[" + name + (isRunning() ? ", running" : "") + "]";
    }

    /**
     * Collects an IOThread's settings. The context's own settings go straight into an
     * {@link AioContexts.Builder} (one set of rules and defaults for both), starting from QEMU's
     * IOThread defaults: polling on ({@link PollParams#DEFAULT}).
     */
    public static final class Builder {
        private final String name;
        private final AioContexts.Builder context;
        private PollParams params = PollParams.DEFAULT;
        private int poolMin = 0;
        private int poolMax = ThreadPool.DEFAULT_MAX_THREADS;
        private boolean daemon = true;

        private Builder(String name) {
            if (name == null || name.isBlank()) {
                throw new org.aioloop.api.InvalidConfigurationException("iothread-name", name, "must not be blank");
            }
            this.name = name;
            this.context = AioContexts.builder().name(name).pollParams(params);
        }

        /**
         * @param backend a backend name or {@link AioContexts#AUTO}
         * @return this
         */
        public Builder backend(String backend) {
            context.backend(backend);
            return this;
        }

        /**
         * @param registry where backends are found
         * @return this
         */
        public Builder registry(BackendRegistry registry) {
            context.registry(registry);
            return this;
        }

        /**
         * @param clocks the context's clocks
         * @return this
         */
        public Builder clocks(ClockSource clocks) {
            context.clocks(clocks);
            return this;
        }

        /**
         * @param params busy-polling parameters (default {@link PollParams#DEFAULT}, as QEMU's)
         * @return this
         */
        public Builder pollParams(PollParams params) {
            context.pollParams(params);
            this.params = params;
            return this;
        }

        /**
         * @param min {@code thread-pool-min}
         * @param max {@code thread-pool-max}
         * @return this
         * @throws org.aioloop.api.InvalidConfigurationException if invalid
         */
        public Builder threadPoolLimits(int min, int max) {
            MainLoops.validatePoolLimits(min, max);
            this.poolMin = min;
            this.poolMax = max;
            return this;
        }

        /**
         * @param fds the context upgrades from poll to epoll at this many fds; 0 = never
         * @return this
         * @throws org.aioloop.api.InvalidConfigurationException if negative
         */
        public Builder epollUpgradeThreshold(int fds) {
            context.epollUpgradeThreshold(fds);
            return this;
        }

        /**
         * @param daemon whether the thread is a daemon (default true)
         * @return this
         */
        public Builder daemon(boolean daemon) {
            this.daemon = daemon;
            return this;
        }

        /**
         * @return a new, not yet started IOThread (its context and fds exist already)
         */
        public IOThread build() {
            return new IOThread(this);
        }
    }
}
