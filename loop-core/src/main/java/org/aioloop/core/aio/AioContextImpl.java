package org.aioloop.core.aio;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.aioloop.api.AioContext;
import org.aioloop.api.BackendUnavailableException;
import org.aioloop.api.BottomHalf;
import org.aioloop.api.CallbackErrorHandler;
import org.aioloop.api.ClockSource;
import org.aioloop.api.ClockType;
import org.aioloop.api.ContextClosedException;
import org.aioloop.api.ContextSnapshot;
import org.aioloop.api.ContextStats;
import org.aioloop.api.EventNotifier;
import org.aioloop.api.FdCallback;
import org.aioloop.api.InvalidFdException;
import org.aioloop.api.PollCallback;
import org.aioloop.api.PollParams;
import org.aioloop.api.Timer;
import org.aioloop.api.WrongThreadException;
import org.aioloop.api.backend.FdMonitor;
import org.aioloop.api.backend.ReadySet;
import org.aioloop.core.BackendRegistry;
import org.aioloop.core.pool.ThreadPool;

/**
 * QEMU's {@code AioContext} (util/async.c, util/aio-posix.c), composed of one class per mechanism:
 * {@link BottomHalfList}, {@link TimerListGroup}, {@link FdHandlerTable}, {@link NotifyState},
 * {@link AdaptivePoller}, {@link MonitorSwitcher} and {@link CallbackInvoker}. Build one with
 * {@code org.aioloop.core.AioContexts.builder()}.
 *
 * <p>It runs in two modes, as QEMU's: as its own loop ({@link #poll(boolean)}, QEMU's
 * {@code aio_poll}), or as a source that a parent loop drives ({@link #sourcePrepare()},
 * {@link #sourceCheck()}, {@link #sourceDispatch()}: QEMU's {@code aio_ctx_prepare/check/dispatch})
 * while waiting on {@link #pollableFd()} or on the fds {@link #forEachFd} lists. Busy polling is off
 * in the source mode, as in QEMU.
 */
public final class AioContextImpl implements AioContext {
    private final String name;
    private final ClockSource clocks;
    private final NotifyState notify;
    private final BottomHalfList bhs;
    private final TimerListGroup timers;
    private final FdHandlerTable handlers;
    private final CallbackInvoker invoker;
    private final AdaptivePoller poller;
    private final MonitorSwitcher switcher;
    private final FdHandlerTable.FailureSink failureSink = this::registrationFailed;
    private final ReadySet readySet = new ReadySet();
    private ReadyList[] levels = new ReadyList[] {new ReadyList(), new ReadyList(), new ReadyList(), new ReadyList()};
    private final ReadyList sourceReady = new ReadyList();
    private final AutoCloseable registryListener;
    private final AutoCloseable clockListener;

    private volatile Thread home;
    private int depth;
    private volatile boolean running;
    private volatile boolean closed;
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile ThreadPool pool;
    private int poolMin = 0;
    private int poolMax = ThreadPool.DEFAULT_MAX_THREADS;

    // Home-thread counters (read racily by stats()).
    private long iterations;
    private long blockingWaits;

    /**
     * Use {@code org.aioloop.core.AioContexts.builder()}; this constructor takes resolved parts.
     *
     * @param name             the context's name
     * @param registry         where backends are found (for switches and fallbacks)
     * @param backend          the backend to start on (must be in {@code registry} for switches)
     * @param monitor          a monitor opened on {@code backend}; the context owns it
     * @param notifier         the context's own notifier; the context owns it
     * @param clocks           the clocks timers run on
     * @param params           the busy-polling parameters
     * @param upgradeThreshold poll→epoll upgrade at this many fds, 0 = never
     * @param homeThread       the fixed home thread, or null for "the first thread that runs it"
     */
    public AioContextImpl(String name, BackendRegistry registry, String backend, FdMonitor monitor,
            EventNotifier notifier, ClockSource clocks, PollParams params, int upgradeThreshold, Thread homeThread) {
        this.name = Objects.requireNonNull(name, "name");
        this.clocks = Objects.requireNonNull(clocks, "clocks");
        this.home = homeThread;
        this.notify = new NotifyState(Objects.requireNonNull(notifier, "notifier"));
        Runnable kick = notify::kick;
        this.bhs = new BottomHalfList(kick);
        this.timers = new TimerListGroup(clocks, kick);
        this.handlers = new FdHandlerTable(Objects.requireNonNull(monitor, "monitor"));
        this.invoker = new CallbackInvoker(name);
        this.poller = new AdaptivePoller(Objects.requireNonNull(params, "params"));
        this.switcher = new MonitorSwitcher(registry, backend, upgradeThreshold, kick);
        // The context's own notifier (QEMU's ctx->notifier with aio_context_notifier_cb/_poll): its
        // poll reads `notified` without a system call; none of its callbacks is progress.
        //
        // Unlike QEMU, an eventfd is watched edge-triggered where the backend can (epoll), as Netty
        // does, and then never read: the wakeup itself is the whole message (`notified` and the
        // BH flags carry the state), so draining it was one read(2) per wakeup for nothing. Each
        // write makes a new edge, and the counter cannot fill. Where the monitor watches it
        // level-triggered (poll, or after a switch to poll) the callback must drain it, or every
        // pass would wake at once; the monitor is asked at dispatch time because a backend switch
        // between passes can change the answer. A pipe notifier is always drained: a full pipe
        // drops writes, so it would stop making edges.
        boolean edge = notifier.edgeTriggerSafe();
        FdCallback drain = edge
                ? (fd, ev) -> {
                    if (!handlers.monitor().honoursEdgeTriggered()) {
                        notifier.testAndClear();
                    }
                }
                : (fd, ev) -> notifier.testAndClear();
        handlers.set(new FdHandler(notifier.readFd(), drain, null, notify::isNotified, (fd, ev) -> { }, null,
                true, edge), true);
        this.registryListener = registry.addListener(switcher);
        // Resuming the VIRTUAL clock changes the deadline: wake the loop to recompute it.
        this.clockListener = clocks.onVirtualStateChange(r -> notify.kick());
    }

    // ------------------------------------------------------------------ identity and threads

    @Override
    public String name() {
        return name;
    }

    @Override
    public Thread homeThread() {
        return home;
    }

    @Override
    public boolean inHomeThread() {
        return home == Thread.currentThread();
    }

    /** Adopts the caller as home if there is none; else requires the caller to be home. */
    private void enterHome(String operation) {
        Thread t = Thread.currentThread();
        Thread h = home;
        if (h == t) {
            return;
        }
        if (h == null) {
            handlers.lock.lock();
            try {
                if (home == null) {
                    home = t;
                }
                h = home;
            } finally {
                handlers.lock.unlock();
            }
            if (h == t) {
                return;
            }
        }
        throw new WrongThreadException(operation, name, h);
    }

    private void checkOpen() {
        if (closed) {
            throw new ContextClosedException("context '" + name + "'");
        }
    }

    // ------------------------------------------------------------------ aio_poll

    @Override
    public boolean poll(boolean blocking) {
        enterHome("poll");
        // Pairs with close(): volatile write then read on both sides, so either close() sees us
        // running (and leaves the release to us) or we see `closed`.
        running = true;
        if (closed) {
            if (depth == 0) {
                running = false;
                release();
            }
            throw new ContextClosedException("context '" + name + "'");
        }
        depth++;
        ReadyList ready = level(depth);
        boolean timed = false;
        try {
            // Registrations made by other threads first: they count towards the upgrade threshold,
            // and an idle context that reached it only through them would otherwise stay on poll
            // until something else woke it (the upgrade check saw the old count).
            handlers.syncMonitor(failureSink);
            if (depth == 1 && switcher.hasRequestsOrUpgrade(handlers)) {
                switcher.runPending(handlers, invoker);
            }
            long start = poller.enabled() ? System.nanoTime() : 0;
            long timeout = blocking ? computeTimeout() : 0;
            timeout = poller.tryPollMode(handlers, ready, timeout, invoker);

            boolean useNotifyMe = timeout != 0;
            if (useNotifyMe && notify.beginWait()) {
                timeout = 0; // a kick arrived after the timeout was computed
            }
            // With every handler pollable, a pass whose polling already looked at all of them need
            // not ask the kernel unless it is going to block (QEMU's need_wait).
            if (timeout != 0 || !poller.polledThisPass || handlers.pollDisableCount() > 0) {
                if (timeout != 0 && poller.leavePollingMode(handlers, ready, invoker)) {
                    timeout = 0;
                }
                handlers.monitor().wait(timeout, readySet);
                if (timeout != 0) {
                    blockingWaits++;
                }
                handlers.collect(readySet, ready);
            }
            if (useNotifyMe) {
                notify.endWait();
            }
            notify.accept();
            if (depth == 1) {
                timed = true;
                invoker.beginPass();
            }
            long blockNs = start != 0 ? System.nanoTime() - start : 0;

            boolean progress = bhs.poll(invoker);
            progress |= dispatchReady(ready, blockNs);
            progress |= timers.run(invoker);
            iterations++;
            return progress;
        } finally {
            if (timed) {
                invoker.endPass();
            }
            ready.clear();
            depth--;
            if (depth == 0) {
                running = false;
                if (closed) {
                    release();
                }
            }
        }
    }

    private ReadyList level(int d) {
        if (d >= levels.length) {
            ReadyList[] bigger = new ReadyList[levels.length * 2];
            System.arraycopy(levels, 0, bigger, 0, levels.length);
            for (int i = levels.length; i < bigger.length; i++) {
                bigger[i] = new ReadyList();
            }
            levels = bigger;
        }
        return levels[d];
    }

    /** QEMU's {@code aio_compute_timeout}: 0 / 10 ms idle / next timer / -1. */
    private long computeTimeout() {
        long t = bhs.computeTimeout();
        if (t == 0) {
            return 0;
        }
        long deadline = timers.deadlineNs();
        if (deadline == 0) {
            return 0;
        }
        return Timeouts.soonest(t, deadline);
    }

    private boolean dispatchReady(ReadyList ready, long blockNs) {
        boolean progress = false;
        for (int i = 0, n = ready.size(); i < n; i++) {
            FdHandler h = ready.take(i);
            if (h == null) {
                continue; // stolen by a nested pass, which dispatched it
            }
            progress |= dispatchHandler(h, h.revents, h.pollReadyPending);
            if (blockNs != 0 && h.canPoll() && !h.deleted) {
                poller.adjust(h, blockNs);
            }
        }
        return progress;
    }

    /** QEMU's {@code aio_dispatch_handler}: liveness is re-checked before every callback. */
    private boolean dispatchHandler(FdHandler h, int revents, boolean pollReady) {
        boolean progress = false;
        if (pollReady && !h.deleted && h.pollReady != null) {
            // Unlinked from polling while it runs, so a nested pass cannot call it again (QEMU N1).
            h.inPollReady = true;
            try {
                invoker.runFd(h, h.pollReady, 0, "poll-ready");
            } finally {
                h.inPollReady = false;
            }
            progress = !h.isNotifier;
        }
        if (!h.deleted && (revents & org.aioloop.api.IoEvents.READ_READY) != 0 && h.read != null) {
            invoker.runFd(h, h.read, revents, "read");
            progress |= !h.isNotifier;
        }
        if (!h.deleted && (revents & org.aioloop.api.IoEvents.WRITE_READY) != 0 && h.write != null) {
            invoker.runFd(h, h.write, revents, "write");
            progress |= !h.isNotifier;
        }
        return progress;
    }

    private void registrationFailed(int fd, org.aioloop.api.AioException e) {
        invoker.report("fd " + fd + " registration (dropped)", e);
    }

    @Override
    public void kick() {
        notify.kick();
    }

    // ------------------------------------------------------------------ GSource mode

    /**
     * QEMU's {@code aio_ctx_prepare}: sets bit 0 of {@code notify_me} with a full fence, leaves busy
     * polling, then returns 0 if a kick or a non-idle bottom half is pending, else the wait timeout
     * in ns (10 ms if only idle bottom halves are, the next timer deadline, or -1). Home thread.
     *
     * @return the timeout in ns, -1 = infinite
     */
    public long sourcePrepare() {
        enterHome("sourcePrepare");
        checkOpen();
        handlers.syncMonitor(failureSink); // first: foreign registrations count towards the upgrade
        if (depth == 0 && switcher.hasRequestsOrUpgrade(handlers)) {
            switcher.runPending(handlers, invoker);
        }
        if (notify.beginSourceWait()) {
            return 0;
        }
        return computeTimeout();
    }

    /**
     * QEMU's {@code aio_ctx_check}: clears bit 0 of {@code notify_me}, accepts the notification,
     * collects the ready fds with a non-blocking wait of the context's own monitor. Home thread.
     *
     * @return whether a bottom half is scheduled, an fd is ready or a timer expired
     */
    public boolean sourceCheck() {
        return sourceCheck(true);
    }

    /**
     * {@link #sourceCheck()} told by the parent whether its wait saw any of this context's fds
     * ready (QEMU's {@code fdmon_epoll_gsource_check} reads the epoll fd's revents the same way).
     * If it did not, no fd of this context was ready when the parent looked, so the zero-timeout
     * wait of the context's own monitor is skipped: one system call less per parent iteration. An
     * fd that became ready since keeps the parent's next wait from blocking (level-triggered).
     *
     * @param fdsMayBeReady whether the parent saw the context's pollable fd, or a mirrored fd, ready
     * @return whether a bottom half is scheduled, an fd is ready or a timer expired
     */
    public boolean sourceCheck(boolean fdsMayBeReady) {
        enterHome("sourceCheck");
        checkOpen();
        notify.endSourceWait();
        notify.accept();
        sourceReady.clear();
        if (fdsMayBeReady) {
            handlers.monitor().wait(0, readySet);
            handlers.collect(readySet, sourceReady);
        }
        return bhs.anyScheduled() || sourceReady.size() > 0 || timers.deadlineNs() == 0;
    }

    /**
     * QEMU's {@code aio_ctx_dispatch}: bottom halves, then the fd handlers {@link #sourceCheck()}
     * found ready, then timers. Busy polling is off in this mode. Home thread.
     *
     * @return progress, as {@link #poll(boolean)} defines it
     */
    public boolean sourceDispatch() {
        enterHome("sourceDispatch");
        checkOpen();
        running = true;
        depth++;
        boolean timed = depth == 1;
        if (timed) {
            invoker.beginPass();
        }
        try {
            boolean progress = bhs.poll(invoker);
            progress |= dispatchReady(sourceReady, 0);
            progress |= timers.run(invoker);
            iterations++;
            return progress;
        } finally {
            if (timed) {
                invoker.endPass();
            }
            sourceReady.clear();
            depth--;
            if (depth == 0) {
                running = false;
                if (closed) {
                    release();
                }
            }
        }
    }

    /**
     * @return the monitor's pollable fd (the epoll fd), or -1 when the backend has none (poll):
     *         then a parent loop mirrors {@link #forEachFd} instead
     */
    public int pollableFd() {
        return handlers.monitor().pollableFd();
    }

    /**
     * @return the read fd of the context's own event notifier
     */
    public int notifierFd() {
        return notify.notifier().readFd();
    }

    /**
     * @return a counter that changes on every handler add, remove or interest change and on every
     *         backend switch (a parent loop re-mirrors the fds when it changes)
     */
    public long registrationVersion() {
        return handlers.version();
    }

    /**
     * Lists every monitored fd with its interest (the notifier's included). Home thread: applies
     * pending changes from other threads first.
     *
     * @param visitor receives each fd
     */
    public void forEachFd(FdVisitor visitor) {
        enterHome("forEachFd");
        handlers.syncMonitor(failureSink);
        handlers.forEachMonitored(visitor);
    }

    // ------------------------------------------------------------------ fd handlers

    @Override
    public void setFdHandler(int fd, FdCallback read, FdCallback write, PollCallback poll, FdCallback pollReady) {
        setFdHandler(fd, read, write, poll, pollReady, null);
    }

    /**
     * {@link #setFdHandler(int, FdCallback, FdCallback, PollCallback, FdCallback)} with an owner tag
     * shown in {@link ContextSnapshot.Handler#owner()} and in error reports (a device's name).
     *
     * @param fd        an open fd
     * @param read      called when readable, or null
     * @param write     called when writable, or null
     * @param poll      busy-poll check, or null
     * @param pollReady called when {@code poll} found work, or null
     * @param owner     who registered it, or null
     * @throws InvalidFdException     if {@code fd} is negative, not open, the context's own notifier,
     *                                or no read/write callback is given
     * @throws ContextClosedException if the context is closed
     */
    public void setFdHandler(int fd, FdCallback read, FdCallback write, PollCallback poll, FdCallback pollReady,
            String owner) {
        if (fd < 0) {
            throw new InvalidFdException(fd, "negative fd");
        }
        if (read == null && write == null) {
            throw new InvalidFdException(fd, "no read or write callback (use removeFdHandler to remove)");
        }
        checkOpen();
        if (fd == notify.notifier().readFd()) {
            throw new InvalidFdException(fd, "is context '" + name + "''s own notifier");
        }
        handlers.lock.lock();
        try {
            Thread h = home;
            boolean direct = h == null || h == Thread.currentThread();
            if (!direct) {
                FdValidity.requireOpen(fd);
            }
            handlers.set(fd, read, write, poll, pollReady, owner, false, direct);
        } finally {
            handlers.lock.unlock();
        }
        notify.kick();
    }

    @Override
    public boolean removeFdHandler(int fd) {
        if (closed) {
            return false;
        }
        boolean removed;
        handlers.lock.lock();
        try {
            Thread h = home;
            removed = handlers.remove(fd, h == null || h == Thread.currentThread());
        } finally {
            handlers.lock.unlock();
        }
        if (removed) {
            notify.kick();
        }
        return removed;
    }

    // ------------------------------------------------------------------ bottom halves, timers

    @Override
    public BottomHalf newBottomHalf(String name, Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        checkOpen();
        return bhs.create(name, callback);
    }

    @Override
    public void scheduleOneshot(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        checkOpen();
        bhs.scheduleOneshot("oneshot", callback);
    }

    @Override
    public Timer newTimer(ClockType clock, String name, Runnable callback) {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(callback, "callback");
        checkOpen();
        return timers.list(clock).newTimer(name, callback);
    }

    @Override
    public ClockSource clocks() {
        return clocks;
    }

    // ------------------------------------------------------------------ thread pool

    @Override
    public <T> CompletableFuture<T> submitBlocking(Callable<T> work) {
        Objects.requireNonNull(work, "work");
        enterHome("submitBlocking");
        checkOpen();
        ThreadPool p = pool;
        if (p == null) {
            synchronized (this) {
                p = pool;
                if (p == null) {
                    p = new ThreadPool(name, poolMin, poolMax, this::scheduleOneshot);
                    pool = p;
                }
            }
        }
        return p.submit(work);
    }

    /**
     * Sets the thread pool's limits (QEMU's {@code thread-pool-min}/{@code thread-pool-max}); applies
     * to the pool now if it exists, else when it is created.
     *
     * @param min threads kept alive, &gt;= 0
     * @param max most threads, &gt;= max(min, 1)
     */
    public void setThreadPoolLimits(int min, int max) {
        synchronized (this) {
            ThreadPool p = pool;
            if (p != null) {
                p.setLimits(min, max);
            } else {
                if (min < 0 || max < 1 || min > max) {
                    throw new org.aioloop.api.InvalidConfigurationException(ThreadPool.KEY_MIN + "/" + ThreadPool.KEY_MAX,
                            min + "/" + max, "need 0 <= min <= max and max >= 1");
                }
            }
            poolMin = min;
            poolMax = max;
        }
    }

    // ------------------------------------------------------------------ backends, params, errors

    @Override
    public String backendName() {
        return switcher.current();
    }

    @Override
    public CompletableFuture<String> switchBackend(String backend) {
        Objects.requireNonNull(backend, "backend");
        checkOpen();
        handlers.lock.lock();
        try {
            Thread h = home;
            // behind a switch whose monitor is still being filled: queue, to keep the order
            boolean now = (h == null || (h == Thread.currentThread() && depth == 0)) && !switcher.filling();
            if (now) {
                try {
                    handlers.syncMonitor(failureSink);
                    switcher.switchExplicitly(handlers, backend);
                    return CompletableFuture.completedFuture(switcher.current());
                } catch (BackendUnavailableException e) {
                    return CompletableFuture.failedFuture(e);
                }
            }
        } finally {
            handlers.lock.unlock();
        }
        return switcher.request(backend);
    }

    @Override
    public void setPollParams(PollParams params) {
        poller.setParams(Objects.requireNonNull(params, "params"));
        notify.kick();
    }

    @Override
    public PollParams pollParams() {
        return poller.params();
    }

    @Override
    public void setErrorHandler(CallbackErrorHandler handler) {
        invoker.setErrorHandler(handler);
    }

    @Override
    public ContextStats stats() {
        return new ContextStats(iterations, blockingWaits, notify.kicks(), notify.wakeupWrites(),
                invoker.fdDispatches, invoker.bottomHalfRuns, invoker.timerRuns, poller.pollHits,
                invoker.callbackErrors, switcher.switches, invoker.maxDispatchNanos, invoker.dispatchNanos,
                switcher.maxStallNanos);
    }

    @Override
    public ContextSnapshot snapshot() {
        Thread h = home;
        return new ContextSnapshot(name, h == null ? null : h.getName(), backendName(), handlers.snapshot(),
                bhs.snapshot(), timers.snapshot());
    }

    // ------------------------------------------------------------------ destruction

    @Override
    public boolean isClosed() {
        return closed;
    }

    /**
     * Destroys the context. From the home thread inside a callback, or from another thread while the
     * loop runs, the release happens when the outermost pass ends (the loop is kicked so it ends
     * soon); otherwise at once. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        boolean home = inHomeThread();
        if ((home && depth == 0) || (!home && !running)) {
            release();
        } else {
            notify.kick();
        }
    }

    private void release() {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        bhs.deleteAll();
        timers.closeAll();
        handlers.clearAll();
        closeQuietly(registryListener);
        closeQuietly(clockListener);
        switcher.failPending(new ContextClosedException("context '" + name + "'"), handlers);
        ThreadPool p = pool;
        if (p != null) {
            p.close();
        }
        handlers.monitor().close();
        notify.notifier().close();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // listener handles do not fail
        }
    }

    /** Tests: the switcher (background-fill threshold and hook). */
    MonitorSwitcher switcher() {
        return switcher;
    }

    /** Tests: the fd table (its current monitor). Home thread. */
    FdHandlerTable handlers() {
        return handlers;
    }

    @Override
    public String toString() {
        return "AioContext '" + name + "' on " + backendName();
    }
}
