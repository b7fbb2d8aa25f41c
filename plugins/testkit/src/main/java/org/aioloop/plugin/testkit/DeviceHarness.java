package org.aioloop.plugin.testkit;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import org.aioloop.api.AioContext;
import org.aioloop.api.AioException;
import org.aioloop.api.ClockSource;
import org.aioloop.api.WrongThreadException;
import org.aioloop.api.device.DeviceHandler;
import org.aioloop.core.AioContexts;
import org.aioloop.core.SystemClockSource;
import org.aioloop.core.host.DeviceContextView;

/**
 * Runs {@link DeviceHandler}s on a real {@link AioContext} (from {@code loop-core}), each through
 * the core's own recording view ({@link DeviceContextView}), the way the host attaches devices:
 * {@code attach} and {@code detach} on the context's home thread; whatever the device forgot is
 * released and reported at detach; a device whose callback throws (or that calls {@code fail}) is
 * isolated, detached and released on the home thread, while the context goes on.
 *
 * <p>Two modes:
 * <ul>
 * <li><b>threaded</b> (default): the harness starts a loop thread that is the context's home
 *     thread and runs {@code poll(true)} until {@link #close()}. Use it for devices that talk to
 *     sockets: the test thread is the client. {@link #call(Callable)} runs code on the home thread
 *     and waits for it (bounded).</li>
 * <li><b>manual</b>: the test thread is the home thread and drives the loop itself with
 *     {@link #pollOnce()}. With a manual clock this makes timer tests deterministic.</li>
 * </ul>
 *
 * <pre>{@code
 * try (DeviceHarness h = DeviceHarness.builder().build()) {
 *     DeviceContextView view = h.attach(new MyDevice());
 *     ... talk to the device ...
 *     assertEquals(List.of(), h.detach(device)); // nothing leaked
 * }
 * }</pre>
 */
public final class DeviceHarness implements AutoCloseable {
    /** How long {@link #call}, {@link #attach} and {@link #detach} wait for the home thread. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final AioContext context;
    private final Thread loopThread;
    private final Duration timeout;
    private final Map<DeviceHandler, DeviceContextView> attached = new ConcurrentHashMap<>();
    private final Map<String, Throwable> failures = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    private DeviceHarness(Builder b) {
        this.timeout = b.timeout;
        if (b.threaded) {
            loopThread = new Thread(this::runLoop, "harness-" + b.name);
            loopThread.setDaemon(true);
            context = AioContexts.builder().name(b.name).backend(b.backend).clocks(b.clocks)
                    .homeThread(loopThread).build();
            loopThread.start();
        } else {
            loopThread = null;
            context = AioContexts.builder().name(b.name).backend(b.backend).clocks(b.clocks)
                    .homeThread(Thread.currentThread()).build();
        }
    }

    /**
     * @return a builder with the defaults: context {@code "harness"}, best backend, system clocks,
     *         threaded
     */
    public static Builder builder() {
        return new Builder();
    }

    private void runLoop() {
        while (!stopping) {
            context.poll(true);
        }
    }

    /**
     * @return the real context the devices run on
     */
    public AioContext context() {
        return context;
    }

    /**
     * Attaches a device on the home thread through a new recording view.
     *
     * @param device the device
     * @return its view ({@link DeviceContextView#liveResources()} says what it holds)
     * @throws AioException naming the device if {@code attach} threw; whatever it registered is
     *                      released first
     */
    public DeviceContextView attach(DeviceHandler device) {
        String name = device.name();
        DeviceContextView view = new DeviceContextView(name, context,
                (failed, what, error) -> onDeviceFailed(device, failed, what, error));
        call(() -> {
            try {
                device.attach(view);
            } catch (Exception | Error e) {
                view.release();
                throw new AioException("device '" + name + "' failed to attach: " + e.getMessage(), e);
            }
            attached.put(device, view);
            return null;
        });
        return view;
    }

    /**
     * Detaches a device on the home thread and releases what it left behind.
     *
     * @param device an attached device
     * @return what the device still held after its {@code detach} (its leaks); empty if it cleaned up
     * @throws IllegalStateException if the device is not attached
     */
    public List<String> detach(DeviceHandler device) {
        DeviceContextView view = attached.remove(device);
        if (view == null) {
            throw new IllegalStateException("device '" + device.name() + "' is not attached");
        }
        return call(() -> {
            try {
                device.detach(view);
            } catch (RuntimeException | Error e) {
                view.release(); // the loop is left clean even when detach throws
                throw e;
            }
            return view.release();
        });
    }

    /**
     * @param device a device
     * @return whether it is attached
     */
    public boolean isAttached(DeviceHandler device) {
        return attached.containsKey(device);
    }

    /**
     * @param deviceName a device's name
     * @return what made it fail (a callback that threw, or {@code fail}), or null
     */
    public Throwable failure(String deviceName) {
        return failures.get(deviceName);
    }

    // Like the core: told on the home thread after the failing callback returned; the device is
    // detached and whatever it still holds is released.
    private void onDeviceFailed(DeviceHandler device, DeviceContextView view, String what, Throwable error) {
        failures.putIfAbsent(device.name(), error);
        if (attached.remove(device, view)) {
            try {
                device.detach(view);
            } finally {
                view.release();
            }
        }
    }

    /**
     * Runs {@code work} on the home thread and returns its result. In manual mode (the caller is the
     * home thread) it runs at once.
     *
     * @param work what to run
     * @param <T>  its result type
     * @return its result
     * @throws AioException if it threw (the cause), or did not finish within the timeout
     */
    public <T> T call(Callable<T> work) {
        if (context.inHomeThread()) {
            try {
                return work.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new AioException("harness call failed: " + e, e);
            }
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        context.scheduleOneshot(() -> {
            try {
                result.complete(work.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new AioException("harness call failed: " + cause, cause);
        } catch (TimeoutException e) {
            throw new AioException("home thread of context '" + context.name() + "' did not answer within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AioException("interrupted waiting for context '" + context.name() + "'", e);
        }
    }

    /**
     * Runs {@code work} on the home thread and waits for it.
     *
     * @param work what to run
     */
    public void run(Runnable work) {
        call(() -> {
            work.run();
            return null;
        });
    }

    /**
     * Waits until {@code condition}, evaluated on the home thread, holds: each check is one round
     * trip through the loop (so it also waits for work the loop has queued), and the whole wait is
     * bounded by the harness timeout. Threaded mode.
     *
     * @param condition what to wait for; runs on the home thread
     * @param what      names the condition for the timeout message
     * @throws AioException if it does not hold within the timeout
     */
    public void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!call(condition::getAsBoolean)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AioException("timed out after " + timeout + " waiting for " + what);
            }
        }
    }

    /**
     * Manual mode: one non-blocking pass on the calling (home) thread.
     *
     * @return the pass's progress
     * @throws WrongThreadException if the harness is threaded
     */
    public boolean pollOnce() {
        return context.poll(false);
    }

    /**
     * Manual mode: runs non-blocking passes until {@code condition} holds, or fails after
     * {@code maxPasses} passes. Never blocks.
     *
     * @param condition checked before each pass
     * @param maxPasses the most passes to run
     * @return whether the condition held
     */
    public boolean pollUntil(BooleanSupplier condition, int maxPasses) {
        for (int i = 0; i < maxPasses; i++) {
            if (condition.getAsBoolean()) {
                return true;
            }
            context.poll(false);
        }
        return condition.getAsBoolean();
    }

    /**
     * Detaches every attached device, stops the loop thread and closes the context.
     */
    @Override
    public void close() {
        for (DeviceHandler device : List.copyOf(attached.keySet())) {
            try {
                detach(device);
            } catch (RuntimeException e) {
                // keep closing; the context close below releases the rest
            }
        }
        if (loopThread != null) {
            stopping = true;
            context.kick();
            try {
                loopThread.join(timeout.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        context.close();
    }

    /**
     * System property naming the default backend of new harnesses ({@code auto} if unset), so a
     * whole test suite can be run once per backend: {@code -Daioloop.test.backend=poll}.
     */
    public static final String BACKEND_PROPERTY = "aioloop.test.backend";

    /** Configures a {@link DeviceHarness}. */
    public static final class Builder {
        private String name = "harness";
        private String backend = System.getProperty(BACKEND_PROPERTY, "auto");
        private ClockSource clocks = SystemClockSource.INSTANCE;
        private boolean threaded = true;
        private Duration timeout = DEFAULT_TIMEOUT;

        private Builder() {
        }

        /**
         * @param name the context's name
         * @return this
         */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /**
         * @param backend a backend name ({@code "poll"}, {@code "epoll"}) or {@code "auto"}
         * @return this
         */
        public Builder backend(String backend) {
            this.backend = backend;
            return this;
        }

        /**
         * @param clocks the clocks, e.g. a {@code ManualClockSource}
         * @return this
         */
        public Builder clocks(ClockSource clocks) {
            this.clocks = clocks;
            return this;
        }

        /**
         * @param threaded true for a loop thread, false to drive the loop from the calling thread
         * @return this
         */
        public Builder threaded(boolean threaded) {
            this.threaded = threaded;
            return this;
        }

        /**
         * @param timeout how long to wait for the home thread
         * @return this
         */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /**
         * @return a started harness
         */
        public DeviceHarness build() {
            return new DeviceHarness(this);
        }
    }
}
