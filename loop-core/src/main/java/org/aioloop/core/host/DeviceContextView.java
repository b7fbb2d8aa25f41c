package org.aioloop.core.host;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

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
import org.aioloop.core.aio.AioContextImpl;

/**
 * The recording {@link DeviceContext} a device works through: an {@link AioContext} that forwards to
 * the real context and remembers every fd handler, bottom half, timer, one-shot and pool job the
 * device creates, so that {@link #release()} can take back whatever the device forgot and name it.
 *
 * <p>Every callback the device hands in is wrapped. The wrapper does nothing once the device has
 * failed or been released (a stale plugin object must never run again), measures the callback for
 * {@link DeviceStats}, and catches what it throws: the first failure marks the device failed and
 * tells the {@link DeviceFailureListener} on the home thread after the callback returned, so the
 * context and the other devices keep running. Wrappers are made once per registration, never per
 * dispatch.
 *
 * <p>Thread rules are those of {@link AioContext}; the records are guarded by one lock that is only
 * taken on registration changes, never on dispatch.
 *
 * <p>Limits: {@link #removeFdHandler(int)} only removes fds this device registered (another device's
 * handler is not the device's to remove); registering an fd that another owner already uses replaces
 * that handler, as on the raw context.
 */
public final class DeviceContextView implements DeviceContext {
    private static final System.Logger LOG = System.getLogger(DeviceContextView.class.getName());

    private static final int OPEN = 0;
    private static final int FAILED = 1;
    private static final int CLOSED = 2;

    private final String deviceName;
    private final AioContext context;
    private final DeviceFailureListener failureListener;
    private final DeviceCounters counters = new DeviceCounters();
    private final AtomicInteger state = new AtomicInteger(OPEN);

    private final Object lock = new Object();
    private final TreeSet<Integer> fds = new TreeSet<>();
    private final LinkedHashSet<ViewBottomHalf> bottomHalves = new LinkedHashSet<>();
    private final LinkedHashSet<ViewTimer> timers = new LinkedHashSet<>();
    private final LinkedHashMap<CompletableFuture<?>, Long> jobs = new LinkedHashMap<>();
    private int pendingOneshots;
    private long jobSequence;

    private volatile CallbackErrorHandler errorHandler;
    private volatile Throwable failure;
    private volatile String failedWhat;

    /**
     * @param deviceName      the device's name, used in every report
     * @param context         the real context the device works on
     * @param failureListener told on the home thread when the device must be isolated
     */
    public DeviceContextView(String deviceName, AioContext context, DeviceFailureListener failureListener) {
        this.deviceName = Objects.requireNonNull(deviceName, "deviceName");
        this.context = Objects.requireNonNull(context, "context");
        this.failureListener = Objects.requireNonNull(failureListener, "failureListener");
    }

    @Override
    public String deviceName() {
        return deviceName;
    }

    @Override
    public String contextName() {
        return context.name();
    }

    /**
     * @return the real context under this view
     */
    public AioContext underlying() {
        return context;
    }

    /**
     * @return whether the device's callbacks still run (not failed, not released)
     */
    public boolean isOpen() {
        return state.get() == OPEN;
    }

    /**
     * @return the failure that isolated the device, or null
     */
    public Throwable failure() {
        return failure;
    }

    /**
     * @return names the callback that failed (e.g. {@code "fd 12 read"}), or null
     */
    public String failedCallback() {
        return failedWhat;
    }

    /**
     * @return the device's callback counters so far
     */
    public DeviceStats deviceStats() {
        return counters.snapshot(deviceName);
    }

    // ---- the recording part ------------------------------------------------------------------

    @Override
    public void setFdHandler(int fd, FdCallback read, FdCallback write, PollCallback poll, FdCallback pollReady) {
        FdCallback r = read == null ? null : new GuardedFdCallback(this, read, "read");
        FdCallback w = write == null ? null : new GuardedFdCallback(this, write, "write");
        PollCallback p = poll == null ? null : new GuardedPollCallback(this, poll);
        FdCallback pr = pollReady == null ? null : new GuardedFdCallback(this, pollReady, "poll-ready");
        synchronized (lock) {
            requireNotClosed();
            // the context validates first: if it throws, nothing is recorded and nothing is lost
            if (context instanceof AioContextImpl impl) {
                impl.setFdHandler(fd, r, w, p, pr, deviceName); // owner shown by aio:handlers
            } else {
                context.setFdHandler(fd, r, w, p, pr);
            }
            fds.add(fd);
        }
    }

    @Override
    public boolean removeFdHandler(int fd) {
        synchronized (lock) {
            if (!fds.remove(fd)) {
                return false;
            }
        }
        return context.removeFdHandler(fd);
    }

    @Override
    public BottomHalf newBottomHalf(String name, Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        String label = name == null ? "(unnamed)" : name;
        synchronized (lock) {
            requireNotClosed();
            ViewBottomHalf bh = new ViewBottomHalf(this, label, callback);
            bottomHalves.add(bh);
            return bh;
        }
    }

    @Override
    public void scheduleOneshot(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        synchronized (lock) {
            requireNotClosed();
            pendingOneshots++;
        }
        try {
            context.scheduleOneshot(new Oneshot(callback));
        } catch (RuntimeException e) {
            synchronized (lock) {
                pendingOneshots--;
            }
            throw e;
        }
    }

    @Override
    public Timer newTimer(ClockType clock, String name, Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        String label = name == null ? "(unnamed)" : name;
        synchronized (lock) {
            requireNotClosed();
            ViewTimer timer = new ViewTimer(this, clock, label, callback);
            timers.add(timer);
            return timer;
        }
    }

    @Override
    public <T> CompletableFuture<T> submitBlocking(Callable<T> work) {
        Objects.requireNonNull(work, "work");
        CompletableFuture<T> outer = new CompletableFuture<>();
        CompletableFuture<T> inner;
        synchronized (lock) {
            requireNotClosed();
            inner = context.submitBlocking(work);
            jobs.put(outer, ++jobSequence);
        }
        // The device only ever sees 'outer': it completes while the device is alive, and is
        // cancelled (never completed with a result) once the device is gone, so no continuation of a
        // detached device runs with a result.
        inner.whenComplete((value, error) -> {
            synchronized (lock) {
                jobs.remove(outer);
            }
            if (!isOpen()) {
                outer.cancel(false);
            } else if (error != null) {
                outer.completeExceptionally(error);
            } else {
                outer.complete(value);
            }
        });
        outer.whenComplete((value, error) -> {
            if (outer.isCancelled()) {
                inner.cancel(false);
            }
        });
        return outer;
    }

    @Override
    public List<String> liveResources() {
        synchronized (lock) {
            return describe(fds, bottomHalves, timers, jobs.values(), pendingOneshots);
        }
    }

    /**
     * Stops calling into the device and takes back everything it still holds: removes its fd
     * handlers (fds are not closed), deletes its bottom halves, closes its timers, cancels its
     * queued pool jobs and neutralises its pending one-shots. Safe from any thread (every operation
     * it uses is); idempotent.
     *
     * @return what was still held, e.g. {@code ["fd 12", "timer 'tick'"]}; empty if the device
     *         cleaned up after itself
     */
    public List<String> release() {
        List<Integer> fdCopy;
        List<ViewBottomHalf> bhCopy;
        List<ViewTimer> timerCopy;
        List<CompletableFuture<?>> jobCopy;
        List<String> leaks;
        synchronized (lock) {
            if (state.getAndSet(CLOSED) == CLOSED) {
                return List.of();
            }
            leaks = describe(fds, bottomHalves, timers, jobs.values(), pendingOneshots);
            fdCopy = new ArrayList<>(fds);
            bhCopy = new ArrayList<>(bottomHalves);
            timerCopy = new ArrayList<>(timers);
            jobCopy = new ArrayList<>(jobs.keySet());
            fds.clear();
            bottomHalves.clear();
            timers.clear();
            jobs.clear();
        }
        for (int fd : fdCopy) {
            try {
                context.removeFdHandler(fd);
            } catch (ContextClosedException e) {
                // the context is gone: its handlers went with it
            }
        }
        for (ViewBottomHalf bh : bhCopy) {
            bh.delegate().delete();
        }
        for (ViewTimer timer : timerCopy) {
            timer.delegate().close();
        }
        for (CompletableFuture<?> job : jobCopy) {
            job.cancel(false);
        }
        return leaks;
    }

    private static List<String> describe(java.util.Collection<Integer> fds,
            java.util.Collection<ViewBottomHalf> bhs, java.util.Collection<ViewTimer> timers,
            java.util.Collection<Long> jobIds, int oneshots) {
        List<String> out = new ArrayList<>();
        for (int fd : fds) {
            out.add("fd " + fd);
        }
        for (ViewBottomHalf bh : bhs) {
            out.add("bh '" + bh.name() + "'");
        }
        for (ViewTimer t : timers) {
            out.add("timer '" + t.name() + "'");
        }
        for (long id : jobIds) {
            out.add("pool job #" + id);
        }
        if (oneshots > 0) {
            out.add(oneshots + " pending one-shot" + (oneshots == 1 ? "" : "s"));
        }
        return out;
    }

    void forget(ViewBottomHalf bh) {
        synchronized (lock) {
            bottomHalves.remove(bh);
        }
    }

    void forget(ViewTimer timer) {
        synchronized (lock) {
            timers.remove(timer);
        }
    }

    AioContext context() {
        return context;
    }

    DeviceCounters counters() {
        return counters;
    }

    private void requireNotClosed() {
        if (state.get() == CLOSED) {
            throw new ContextClosedException("device '" + deviceName + "' view of context '" + context.name() + "'");
        }
    }

    // ---- isolation -----------------------------------------------------------------------------

    @Override
    public void fail(Throwable error) {
        isolate("device reported failure", Objects.requireNonNull(error, "error"));
    }

    /**
     * A wrapped callback threw. Called on the home thread inside the wrapper.
     *
     * @param what  names the callback
     * @param error what it threw
     */
    void callbackFailed(String what, Throwable error) {
        counters.error();
        isolate(what, error);
        if (error instanceof VirtualMachineError vme) {
            throw vme;
        }
    }

    private void isolate(String what, Throwable error) {
        if (!state.compareAndSet(OPEN, FAILED)) {
            return;
        }
        failure = error;
        failedWhat = what;
        LOG.log(System.Logger.Level.ERROR, "device '" + deviceName + "' on context '" + context.name()
                + "' failed in " + what + "; isolating it", error);
        CallbackErrorHandler handler = errorHandler;
        if (handler != null) {
            try {
                handler.onError(context.name(), "device '" + deviceName + "' " + what, error);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "error handler of device '" + deviceName + "' threw", e);
            }
        }
        // QEMU-style deferral: the device is torn down after the failing callback has unwound, from
        // a fresh pass on the home thread, never from inside its own dispatch.
        try {
            context.scheduleOneshot(() -> failureListener.deviceFailed(this, what, error));
        } catch (ContextClosedException e) {
            failureListener.deviceFailed(this, what, error);
        }
    }

    // ---- plain forwarding ----------------------------------------------------------------------

    @Override
    public String name() {
        return context.name();
    }

    @Override
    public Thread homeThread() {
        return context.homeThread();
    }

    @Override
    public boolean inHomeThread() {
        return context.inHomeThread();
    }

    @Override
    public boolean poll(boolean blocking) {
        return context.poll(blocking);
    }

    @Override
    public void kick() {
        context.kick();
    }

    @Override
    public ClockSource clocks() {
        return context.clocks();
    }

    @Override
    public String backendName() {
        return context.backendName();
    }

    @Override
    public CompletableFuture<String> switchBackend(String backend) {
        return context.switchBackend(backend);
    }

    @Override
    public void setPollParams(PollParams params) {
        context.setPollParams(params);
    }

    @Override
    public PollParams pollParams() {
        return context.pollParams();
    }

    /**
     * Sets the device's own error listener: told when one of the device's callbacks throws, just
     * before the device is isolated. The context's handler is not touched.
     *
     * @param handler the listener, or null
     */
    @Override
    public void setErrorHandler(CallbackErrorHandler handler) {
        this.errorHandler = handler;
    }

    @Override
    public ContextStats stats() {
        return context.stats();
    }

    @Override
    public ContextSnapshot snapshot() {
        return context.snapshot();
    }

    /**
     * @return whether the view was released (or the context destroyed)
     */
    @Override
    public boolean isClosed() {
        return state.get() == CLOSED || context.isClosed();
    }

    /** Same as {@link #release()}: takes back the device's registrations, not the context. */
    @Override
    public void close() {
        release();
    }

    @Override
    public String toString() {
        return "device '" + deviceName + "' on context '" + context.name() + "'";
    }

    /** A one-shot whose device may be gone by the time it runs. */
    private final class Oneshot implements Runnable {
        private final Runnable callback;

        Oneshot(Runnable callback) {
            this.callback = callback;
        }

        @Override
        public void run() {
            synchronized (lock) {
                pendingOneshots--;
            }
            if (!isOpen()) {
                return;
            }
            long t0 = System.nanoTime();
            try {
                callback.run();
            } catch (Throwable e) {
                callbackFailed("one-shot", e);
            } finally {
                counters.record(System.nanoTime() - t0);
            }
        }
    }
}
