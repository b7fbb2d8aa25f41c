package org.aioloop.plugin.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.aioloop.api.AioContext;
import org.aioloop.api.BottomHalf;
import org.aioloop.api.CallbackErrorHandler;
import org.aioloop.api.ClockSource;
import org.aioloop.api.ClockType;
import org.aioloop.api.ContextClosedException;
import org.aioloop.api.ContextSnapshot;
import org.aioloop.api.ContextStats;
import org.aioloop.api.FdCallback;
import org.aioloop.api.PollCallback;
import org.aioloop.api.PollParams;
import org.aioloop.api.Timer;
import org.aioloop.api.device.DeviceContext;

/**
 * A {@link DeviceContext} that delegates to a real {@link AioContext} and records every fd handler,
 * bottom half, timer and pool job the device creates, so {@link #close()} can release them and
 * {@link #liveResources()} can say what is left.
 *
 * <p>Isolation rules (the same the core's view follows):
 * <ul>
 * <li>The device can only remove fd handlers it registered through this view.</li>
 * <li>A device callback that throws marks the device failed ({@link #fail}) and the exception goes
 *     on to the context, which reports it and keeps running.</li>
 * <li>After {@link #close()} nothing of the device runs any more: its handlers are removed, its
 *     bottom halves deleted, its timers closed, its pending one-shots skipped, and the futures of
 *     its pool jobs are never completed (a job already running finishes; its result is dropped).</li>
 * </ul>
 * Registration methods are safe from any thread, as on an AioContext; {@link #close()} is meant for
 * the home thread.
 */
public final class RecordingDeviceContext implements DeviceContext {
    private final AioContext delegate;
    private final String deviceName;
    private final Consumer<Throwable> onFail;
    private final Map<Integer, Boolean> fds = new ConcurrentHashMap<>();
    private final Set<RecordedBottomHalf> bottomHalves = ConcurrentHashMap.newKeySet();
    private final Set<RecordedTimer> timers = ConcurrentHashMap.newKeySet();
    private final Map<CompletableFuture<?>, Long> jobs = new ConcurrentHashMap<>();
    private final AtomicLong jobIds = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile CallbackErrorHandler errorHandler;
    private volatile boolean released;

    /**
     * @param delegate   the real context
     * @param deviceName the device's name, for messages
     * @param onFail     told once, on the thread that called {@link #fail}, when the device fails
     */
    public RecordingDeviceContext(AioContext delegate, String deviceName, Consumer<Throwable> onFail) {
        this.delegate = delegate;
        this.deviceName = deviceName;
        this.onFail = onFail;
    }

    @Override
    public String deviceName() {
        return deviceName;
    }

    @Override
    public String contextName() {
        return delegate.name();
    }

    @Override
    public void fail(Throwable error) {
        if (failure.compareAndSet(null, error)) {
            onFail.accept(error);
        }
    }

    /**
     * @return the first failure reported through {@link #fail}, or null
     */
    public Throwable failure() {
        return failure.get();
    }

    @Override
    public List<String> liveResources() {
        List<String> out = new ArrayList<>();
        fds.keySet().stream().sorted().forEach(fd -> out.add("fd " + fd));
        bottomHalves.forEach(bh -> out.add("bh '" + bh.name() + "'"));
        timers.forEach(t -> out.add("timer '" + t.name() + "'"));
        jobs.values().stream().sorted().forEach(id -> out.add("job #" + id));
        return out;
    }

    // --- registrations (recorded) -------------------------------------------------------------

    @Override
    public void setFdHandler(int fd, FdCallback read, FdCallback write, PollCallback poll, FdCallback pollReady) {
        checkOpen();
        delegate.setFdHandler(fd, guard(read, "fd " + fd + " read"), guard(write, "fd " + fd + " write"), poll,
                guard(pollReady, "fd " + fd + " poll-ready"));
        fds.put(fd, Boolean.TRUE);
    }

    @Override
    public boolean removeFdHandler(int fd) {
        // A device may only remove what it registered: another device's fd is not its business.
        if (fds.remove(fd) == null) {
            return false;
        }
        return delegate.removeFdHandler(fd);
    }

    @Override
    public BottomHalf newBottomHalf(String name, Runnable callback) {
        checkOpen();
        RecordedBottomHalf bh = new RecordedBottomHalf(delegate.newBottomHalf(name, guard(callback, "bh '" + name + "'")));
        bottomHalves.add(bh);
        return bh;
    }

    @Override
    public void scheduleOneshot(Runnable callback) {
        checkOpen();
        Runnable guarded = guard(callback, "oneshot");
        delegate.scheduleOneshot(() -> {
            if (!released) {
                guarded.run();
            }
        });
    }

    @Override
    public Timer newTimer(ClockType clock, String name, Runnable callback) {
        checkOpen();
        RecordedTimer timer = new RecordedTimer(delegate.newTimer(clock, name, guard(callback, "timer '" + name + "'")));
        timers.add(timer);
        return timer;
    }

    @Override
    public <T> CompletableFuture<T> submitBlocking(Callable<T> work) {
        checkOpen();
        CompletableFuture<T> inner = delegate.submitBlocking(work);
        CompletableFuture<T> outer = new CompletableFuture<>();
        jobs.put(outer, jobIds.incrementAndGet());
        inner.whenComplete((value, error) -> {
            jobs.remove(outer);
            if (released) {
                return; // the device is gone: none of its code runs any more
            }
            if (error != null) {
                outer.completeExceptionally(error);
            } else {
                outer.complete(value);
            }
        });
        // cancelling what the device holds cancels the queued job underneath
        outer.whenComplete((value, error) -> {
            if (outer.isCancelled()) {
                inner.cancel(false);
            }
        });
        return outer;
    }

    // --- pass-through -----------------------------------------------------------------------

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public Thread homeThread() {
        return delegate.homeThread();
    }

    @Override
    public boolean inHomeThread() {
        return delegate.inHomeThread();
    }

    @Override
    public boolean poll(boolean blocking) {
        return delegate.poll(blocking);
    }

    @Override
    public void kick() {
        delegate.kick();
    }

    @Override
    public ClockSource clocks() {
        return delegate.clocks();
    }

    @Override
    public String backendName() {
        return delegate.backendName();
    }

    @Override
    public CompletableFuture<String> switchBackend(String backend) {
        return delegate.switchBackend(backend);
    }

    @Override
    public void setPollParams(PollParams params) {
        delegate.setPollParams(params);
    }

    @Override
    public PollParams pollParams() {
        return delegate.pollParams();
    }

    /**
     * Sets who else is told when one of this device's callbacks throws; the context's own error
     * handler is left alone (other devices share it).
     */
    @Override
    public void setErrorHandler(CallbackErrorHandler handler) {
        this.errorHandler = handler;
    }

    @Override
    public ContextStats stats() {
        return delegate.stats();
    }

    @Override
    public ContextSnapshot snapshot() {
        return delegate.snapshot();
    }

    @Override
    public boolean isClosed() {
        return released || delegate.isClosed();
    }

    /**
     * Releases everything the device still holds (not the underlying context). Idempotent.
     */
    @Override
    public void close() {
        release();
    }

    /**
     * Releases everything the device still holds and says what that was.
     *
     * @return the resources that were still live, as {@link #liveResources()} names them
     */
    public List<String> release() {
        List<String> left = liveResources();
        released = true;
        for (Integer fd : fds.keySet()) {
            fds.remove(fd);
            delegate.removeFdHandler(fd);
        }
        for (RecordedBottomHalf bh : bottomHalves) {
            bh.delete();
        }
        for (RecordedTimer timer : timers) {
            timer.close();
        }
        for (CompletableFuture<?> job : jobs.keySet()) {
            jobs.remove(job);
        }
        return left;
    }

    private void checkOpen() {
        if (released) {
            throw new ContextClosedException("device '" + deviceName + "' view of context '" + delegate.name() + "'");
        }
    }

    private FdCallback guard(FdCallback callback, String what) {
        if (callback == null) {
            return null;
        }
        return (fd, revents) -> {
            try {
                callback.onReady(fd, revents);
            } catch (RuntimeException | Error e) {
                report(what, e);
                throw e;
            }
        };
    }

    private Runnable guard(Runnable callback, String what) {
        return () -> {
            try {
                callback.run();
            } catch (RuntimeException | Error e) {
                report(what, e);
                throw e;
            }
        };
    }

    private void report(String what, Throwable e) {
        CallbackErrorHandler handler = errorHandler;
        if (handler != null) {
            handler.onError(delegate.name(), "device '" + deviceName + "' " + what, e);
        }
        fail(e);
    }

    /** A bottom half that forgets itself from the view when deleted. */
    private final class RecordedBottomHalf implements BottomHalf {
        private final BottomHalf real;

        RecordedBottomHalf(BottomHalf real) {
            this.real = real;
        }

        @Override
        public String name() {
            return real.name();
        }

        @Override
        public void schedule() {
            real.schedule();
        }

        @Override
        public void scheduleIdle() {
            real.scheduleIdle();
        }

        @Override
        public void cancel() {
            real.cancel();
        }

        @Override
        public void delete() {
            bottomHalves.remove(this);
            real.delete();
        }

        @Override
        public boolean isScheduled() {
            return real.isScheduled();
        }

        @Override
        public boolean isDeleted() {
            return real.isDeleted();
        }
    }

    /** A timer that forgets itself from the view when closed. */
    private final class RecordedTimer implements Timer {
        private final Timer real;

        RecordedTimer(Timer real) {
            this.real = real;
        }

        @Override
        public String name() {
            return real.name();
        }

        @Override
        public ClockType clock() {
            return real.clock();
        }

        @Override
        public void modNanos(long expireNanos) {
            real.modNanos(expireNanos);
        }

        @Override
        public void modIn(long delay, java.util.concurrent.TimeUnit unit) {
            real.modIn(delay, unit);
        }

        @Override
        public void cancel() {
            real.cancel();
        }

        @Override
        public boolean isPending() {
            return real.isPending();
        }

        @Override
        public long expireTimeNanos() {
            return real.expireTimeNanos();
        }

        @Override
        public void close() {
            timers.remove(this);
            real.close();
        }
    }
}
