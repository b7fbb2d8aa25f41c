package org.aioloop.core.main;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import org.aioloop.api.AioException;
import org.aioloop.api.BackendUnavailableException;
import org.aioloop.api.CallbackErrorHandler;
import org.aioloop.api.ClockSource;
import org.aioloop.api.ClockType;
import org.aioloop.api.ContextClosedException;
import org.aioloop.api.EventNotifier;
import org.aioloop.api.EventSource;
import org.aioloop.api.IoEvents;
import org.aioloop.api.MainContext;
import org.aioloop.api.SourceHandle;
import org.aioloop.api.SourceStateException;
import org.aioloop.api.WrongThreadException;
import org.aioloop.api.backend.FdMonitor;
import org.aioloop.api.backend.PollBackend;
import org.aioloop.core.BackendRegistry;
import org.aioloop.core.aio.Timeouts;

/**
 * GLib's {@code GMainContext}: prioritised {@link EventSource}s iterated by one owner thread at a
 * time (gmain.c's {@code g_main_context_iterate}: prepare, query, wait, check, dispatch).
 *
 * <h2>The rules, as GLib has them</h2>
 * <ul>
 * <li>Only the highest ready priority is dispatched in an iteration: prepare stops at the first
 *     source of a lower priority once one is ready; only fds of sources with priority &lt;= the best
 *     ready priority are polled; check stops likewise, and every ready source of that one priority
 *     is dispatched.</li>
 * <li>A source is ready when its prepare returns 0 or its check true, when one of its poll fds has
 *     results ({@code g_source_add_unix_fd} semantics), or when its ready time (REALTIME clock) has
 *     passed. Dispatch does not reset the ready time.</li>
 * <li>A source that is not can-recurse is blocked while it dispatches: a nested iteration neither
 *     prepares, checks, polls nor dispatches it. A nested iteration may dispatch a source an outer
 *     iteration had found ready ("steals" it); the outer one then skips it, so nothing runs
 *     twice.</li>
 * <li>A nested iteration from inside prepare or check is refused with a warning and returns false
 *     (GLib: "called recursively from within a source's check() or prepare() member").</li>
 * <li>If the poll set changed between query and check (a source added or removed a poll fd from
 *     another thread), check dispatches nothing; readiness is level-triggered and the next
 *     iteration starts over (GLib's {@code poll_changed}).</li>
 * <li>Attach, destroy, poll-fd changes and ready times are safe from any thread and wake the
 *     context. {@link EventSource#onDestroy} runs exactly once, on a thread that owns the context,
 *     never while one of the source's callbacks is on the stack.</li>
 * </ul>
 *
 * <h2>The wait</h2>
 * One {@link WaitSet} over a persistent {@link FdMonitor} (the "poll" backend by default): the fds
 * of the sources in reach are collected every iteration as GLib's query does, but only changes are
 * passed to the monitor. The context's own {@link EventNotifier} is always in the set; wakeups use
 * QEMU's {@code notify_me}/{@code notified} handshake, so {@link #wakeup()} writes the eventfd only
 * while the owner may be blocked in (or about to enter) the wait, and no wakeup is lost.
 *
 * <p>Built with a {@link BackendRegistry}, the wait set follows it as AioContexts do (see
 * {@link WaitSetBackend}): when its backend leaves, the owner replays the fds into the best
 * remaining backend between two iterations (or, if nobody owns the context, the thread that
 * changed the registry does, holding the context transiently).
 *
 * <p>Steady state allocates nothing: sources and poll fds are copy-on-write arrays (copied only when
 * they change), iteration frames are reused per nesting depth.
 */
public final class MainContextImpl implements MainContext, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(MainContextImpl.class.getName());
    private static final SourceHandleImpl[] NO_SOURCES = new SourceHandleImpl[0];
    /** "REALTIME not read yet" in prepare/check; not -1, because a clock may read below zero. */
    private static final long NOT_READ = Long.MIN_VALUE;
    /** Every attached source instance in the process, so one instance cannot join two contexts. */
    private static final Map<EventSource, SourceHandleImpl> ATTACHED = new IdentityHashMap<>();

    private final String name;
    private final ClockSource clocks;
    private final WaitSet waitSet;
    /** Null when the monitor was handed in fixed (no registry to follow). */
    private final WaitSetBackend backend;
    private final EventNotifier notifier;
    private final int notifierFd;

    /** Guards the copy-on-write arrays' writers and ownership. */
    private final ReentrantLock lock = new ReentrantLock();
    /** Sorted by priority, attach order among equals; copy-on-write under {@link #lock}. */
    private volatile SourceHandleImpl[] sources = NO_SOURCES;
    /** Bumped under {@link #lock} whenever a source's poll fds change. */
    private volatile long pollVersion;
    private volatile Thread owner;
    /** Written only by the owner thread (under {@link #lock} when ownership changes hands). */
    private int ownerCount;
    /** Guarded by {@link #lock}: the owner only holds the context to run onDestroy callbacks. */
    private boolean transientOwner;
    /** Signalled (under {@link #lock}) when ownership is given up. */
    private final java.util.concurrent.locks.Condition released = lock.newCondition();

    // QEMU's notify_me / notified handshake (volatile accesses are sequentially consistent).
    private volatile boolean notifyMe;
    private volatile boolean notified;

    // Owner-thread state.
    private IterationFrame[] frames = new IterationFrame[4];
    private int depth;
    private int inPrepareOrCheck;

    /** Destroyed from a thread that could not run onDestroy; drained by the owner. */
    private final ConcurrentLinkedQueue<SourceHandleImpl> toFinalize = new ConcurrentLinkedQueue<>();
    private volatile CallbackErrorHandler errorHandler = MainContextImpl::logError;
    private volatile boolean closed;

    private final AtomicLong wakeupWrites = new AtomicLong();
    private long iterations;
    private long blockingWaits;

    /**
     * @param name     for diagnostics
     * @param clocks   REALTIME is the clock of ready times
     * @param monitor  the monitor to wait on; owned (closed) by this context
     * @param notifier the wakeup notifier; owned (closed) by this context
     */
    public MainContextImpl(String name, ClockSource clocks, FdMonitor monitor, EventNotifier notifier) {
        this.name = Objects.requireNonNull(name, "name");
        this.clocks = Objects.requireNonNull(clocks, "clocks");
        this.waitSet = new WaitSet(Objects.requireNonNull(monitor, "monitor"));
        this.notifier = Objects.requireNonNull(notifier, "notifier");
        this.notifierFd = notifier.readFd();
        this.backend = null;
    }

    /**
     * A context whose wait set follows {@code registry}: it opens its monitor on {@code backend} and
     * moves to the best remaining backend when that one leaves the registry.
     *
     * @param name     for diagnostics
     * @param clocks   REALTIME is the clock of ready times
     * @param registry the registry to follow
     * @param backend  the backend to start on (a member of {@code registry})
     * @param notifier the wakeup notifier; owned (closed) by this context
     * @throws org.aioloop.api.BackendUnavailableException if the backend cannot open a monitor
     */
    public MainContextImpl(String name, ClockSource clocks, BackendRegistry registry, PollBackend backend,
            EventNotifier notifier) {
        this.name = Objects.requireNonNull(name, "name");
        this.clocks = Objects.requireNonNull(clocks, "clocks");
        this.notifier = Objects.requireNonNull(notifier, "notifier");
        this.notifierFd = notifier.readFd();
        this.waitSet = new WaitSet(Objects.requireNonNull(backend, "backend").open());
        this.backend = new WaitSetBackend(name, Objects.requireNonNull(registry, "registry"), backend,
                this::serveBackendSwitch);
        this.backend.start();
    }

    /**
     * @return the context's name
     */
    public String name() {
        return name;
    }

    /**
     * @return the backend the context waits on
     */
    public String backendName() {
        return waitSet.backendName();
    }

    /**
     * Switches the wait set to another backend, live (any thread): served between two iterations by
     * the owner, or at once by the caller when nobody owns the context.
     *
     * @param backendName a backend of the registry this context follows
     * @return completes with the backend's name, or exceptionally with
     *         {@link BackendUnavailableException} (the context stays where it is) or
     *         {@link ContextClosedException}
     */
    public CompletableFuture<String> switchBackend(String backendName) {
        Objects.requireNonNull(backendName, "backend");
        if (backend == null) {
            return CompletableFuture.failedFuture(new BackendUnavailableException(backendName,
                    "main context '" + name + "' was built on a fixed monitor"));
        }
        return backend.request(backendName);
    }

    /**
     * @return the switch the backend registry last caused (completed when there was none), so that
     *         whoever removed a backend can wait until the context has left it
     */
    public CompletableFuture<String> registrySwitch() {
        return backend == null ? CompletableFuture.completedFuture(backendName()) : backend.lastFollow();
    }

    /**
     * @return live backend switches done so far
     */
    public long backendSwitches() {
        return backend == null ? 0 : backend.switches();
    }

    /**
     * A switch was queued. The owner serves it at the start of its next outermost iteration or when
     * it releases the context (it re-checks under the lock, as for onDestroy, so nothing is
     * stranded); with no owner, this thread takes the context transiently and serves it.
     */
    private void serveBackendSwitch() {
        if (isOwner()) {
            return; // ours: served when this thread's ownership ends or its next iteration starts
        }
        if (acquireTransiently()) {
            release();
        } else {
            wakeupIfForeign();
        }
    }

    /** Owner, outside any iteration: serves queued backend switches. */
    private void runBackendSwitches() {
        if (backend != null && depth == 0 && backend.hasPending()) {
            backend.runPending(waitSet, closed);
        }
    }

    /**
     * @param handler told when a source callback throws (the source stays attached)
     */
    public void setErrorHandler(CallbackErrorHandler handler) {
        this.errorHandler = Objects.requireNonNull(handler, "handler");
    }

    // ------------------------------------------------------------------ sources

    @Override
    public SourceHandle attach(EventSource source, String name, int priority) {
        Objects.requireNonNull(source, "source");
        String n = name == null ? source.getClass().getSimpleName() : name;
        if (closed) {
            throw new ContextClosedException("main context '" + this.name + "'");
        }
        SourceHandleImpl h = new SourceHandleImpl(this, source, n, priority);
        synchronized (ATTACHED) {
            SourceHandleImpl old = ATTACHED.putIfAbsent(source, h);
            if (old != null) {
                throw new SourceStateException("cannot attach source '" + n + "' to context '" + this.name
                        + "': it is already attached as '" + old.name() + "' to context '" + old.context.name
                        + "'");
            }
        }
        lock.lock();
        try {
            SourceHandleImpl[] cur = sources;
            int at = cur.length;
            while (at > 0 && cur[at - 1].priority > priority) {
                at--;
            }
            SourceHandleImpl[] next = new SourceHandleImpl[cur.length + 1];
            System.arraycopy(cur, 0, next, 0, at);
            next[at] = h;
            System.arraycopy(cur, at, next, at + 1, cur.length - at);
            sources = next;
            if (h.pollFds.length > 0) {
                pollVersion++;
            }
        } finally {
            lock.unlock();
        }
        wakeupIfForeign();
        return h;
    }

    @Override
    public int sourceCount() {
        return sources.length;
    }

    /** Called once per source by {@link SourceHandleImpl#destroy()}, from any thread. */
    void destroyed(SourceHandleImpl s) {
        lock.lock();
        try {
            SourceHandleImpl[] cur = sources;
            int i = indexOf(cur, s);
            if (i >= 0) {
                SourceHandleImpl[] next = new SourceHandleImpl[cur.length - 1];
                System.arraycopy(cur, 0, next, 0, i);
                System.arraycopy(cur, i + 1, next, i, cur.length - i - 1);
                sources = next;
            }
            if (s.pollFds.length > 0) {
                pollVersion++;
            }
        } finally {
            lock.unlock();
        }
        synchronized (ATTACHED) {
            ATTACHED.remove(s.source, s);
        }
        if (owner == Thread.currentThread()) {
            finalizeIfIdle(s); // deferred to the end of its callback if it is on the stack
        } else {
            toFinalize.add(s);
            // Either we get the context (nobody iterates: no callback of s can be on the stack), or
            // the owner's release() finds s in the queue (it re-checks under the lock). Holding it
            // only to finalize, we are a "transient" owner: an iteration that starts meanwhile
            // waits for us instead of failing with WrongThreadException.
            if (acquireTransiently()) {
                try {
                    drainFinalizeQueue();
                } finally {
                    release();
                }
            }
        }
        wakeupIfForeign();
    }

    void addPollFd(SourceHandleImpl s, PollFdImpl p) {
        lock.lock();
        try {
            if (s.isDestroyed()) {
                throw new SourceStateException("source '" + s.name() + "' is destroyed: cannot poll fd " + p.fd());
            }
            PollFdImpl[] cur = s.pollFds;
            PollFdImpl[] next = Arrays.copyOf(cur, cur.length + 1);
            next[cur.length] = p;
            s.pollFds = next;
            pollVersion++;
        } finally {
            lock.unlock();
        }
        wakeupIfForeign();
    }

    void removePollFd(SourceHandleImpl s, PollFdImpl p) {
        lock.lock();
        try {
            PollFdImpl[] cur = s.pollFds;
            int i = -1;
            for (int k = 0; k < cur.length; k++) {
                if (cur[k] == p) {
                    i = k;
                    break;
                }
            }
            if (i < 0) {
                return;
            }
            PollFdImpl[] next = new PollFdImpl[cur.length - 1];
            System.arraycopy(cur, 0, next, 0, i);
            System.arraycopy(cur, i + 1, next, i, cur.length - i - 1);
            s.pollFds = next;
            p.revents = 0;
            pollVersion++;
        } finally {
            lock.unlock();
        }
        wakeupIfForeign();
    }

    // ------------------------------------------------------------------ ownership

    @Override
    public boolean acquire() {
        Thread me = Thread.currentThread();
        if (owner == me) {
            ownerCount++;
            return true;
        }
        lock.lock();
        try {
            if (owner == null) {
                owner = me;
                ownerCount = 1;
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Acquires only if nobody owns the context, marking the ownership as transient. */
    private boolean acquireTransiently() {
        lock.lock();
        try {
            if (owner != null) {
                return false;
            }
            owner = Thread.currentThread();
            ownerCount = 1;
            transientOwner = true;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Acquires the context for an iteration or a loop: like {@link #acquire()}, but waits out a
     * thread that holds it only to run onDestroy callbacks.
     *
     * @return whether the caller owns the context now
     */
    public boolean acquireForLoop() {
        if (acquire()) {
            return true;
        }
        lock.lock();
        try {
            while (owner != null && transientOwner) {
                released.awaitUninterruptibly();
            }
            if (owner == null) {
                owner = Thread.currentThread();
                ownerCount = 1;
                return true;
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void release() {
        Thread me = Thread.currentThread();
        if (owner != me) {
            throw new WrongThreadException("release", name, owner);
        }
        if (ownerCount > 1) {
            ownerCount--;
            return;
        }
        for (;;) {
            drainFinalizeQueue();
            runBackendSwitches();
            lock.lock();
            try {
                if (!toFinalize.isEmpty()) {
                    continue; // destroyed meanwhile by a thread that could not acquire: ours to finish
                }
                if (backend != null && depth == 0 && backend.hasPending()) {
                    continue; // queued by a thread that found us owning the context: ours to serve
                }
                ownerCount = 0;
                owner = null;
                transientOwner = false;
                released.signalAll();
                return;
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public boolean isOwner() {
        return owner == Thread.currentThread();
    }

    /**
     * @return the owning thread, or null
     */
    public Thread owner() {
        return owner;
    }

    // ------------------------------------------------------------------ wakeup

    @Override
    public void wakeup() {
        notified = true;
        // Dekker with the owner's notifyMe=true / read notified: one of us sees the other's write.
        if (notifyMe) {
            wakeupWrites.incrementAndGet();
            notifier.set();
        }
    }

    /**
     * Wakes the owner for a change made by another thread. The owner itself is not waiting and its
     * next query sees the change, so its own changes need no wakeup (and must not make the next
     * wait non-blocking); without an owner nobody waits.
     */
    void wakeupIfForeign() {
        Thread o = owner;
        // Nobody owns it: nobody waits, and whoever acquires next reads the change (published by a
        // volatile write before our volatile read of owner) in its prepare and query.
        if (o != null && o != Thread.currentThread()) {
            wakeup();
        }
    }

    /**
     * @return how many wakeups actually wrote the eventfd (the others found the owner awake)
     */
    public long wakeupWrites() {
        return wakeupWrites.get();
    }

    /**
     * @return iterations run so far (owner thread's count)
     */
    public long iterations() {
        return iterations;
    }

    /**
     * @return iterations that waited with a non-zero timeout
     */
    public long blockingWaits() {
        return blockingWaits;
    }

    // ------------------------------------------------------------------ iteration

    @Override
    public boolean iteration(boolean mayBlock) {
        return iterate(mayBlock, true, null);
    }

    /**
     * GLib's {@code g_main_context_pending}: prepare, poll without blocking and check, but do not
     * dispatch; the ready sources stay ready for the next iteration. Returns false when another
     * thread owns the context (as GLib does).
     */
    @Override
    public boolean pending() {
        if (!acquire()) {
            return false;
        }
        try {
            return iterate(false, false, null);
        } finally {
            release();
        }
    }

    /**
     * One iteration with a caller sharing the wait (the main loop's {@code os_host_main_loop_wait}).
     *
     * @param mayBlock whether the wait may block
     * @param hook     adds the caller's fds and timeout, reads their results
     * @return whether a source was ready (and dispatched)
     */
    boolean iterate(boolean mayBlock, WaitHook hook) {
        return iterate(mayBlock, true, hook);
    }

    private boolean iterate(boolean mayBlock, boolean dispatch, WaitHook hook) {
        if (!acquireForLoop()) {
            throw new WrongThreadException("iteration", name, owner);
        }
        try {
            if (closed) {
                throw new ContextClosedException("main context '" + name + "'");
            }
            if (inPrepareOrCheck > 0) {
                LOG.log(System.Logger.Level.WARNING, "main context '" + name
                        + "': iteration called recursively from within a source's check() or prepare()");
                return false;
            }
            runBackendSwitches(); // between two iterations: no wait in progress, no results held
            IterationFrame f = pushFrame();
            try {
                iterations++;
                drainFinalizeQueue();
                prepare(f);
                long timeout = mayBlock ? f.timeoutNanos : 0;
                waitSet.begin();
                query(f);
                if (hook != null) {
                    long t = hook.fill(waitSet, timeout);
                    timeout = mayBlock ? t : 0;
                }
                int result = waitStep(timeout);
                if (hook != null) {
                    hook.waited(waitSet, result);
                }
                boolean ready = check(f);
                if (ready && dispatch) {
                    dispatch(f);
                }
                f.clearPending();
                drainFinalizeQueue();
                return ready;
            } finally {
                f.clearPending();
                depth--;
            }
        } finally {
            release();
        }
    }

    private IterationFrame pushFrame() {
        if (depth == frames.length) {
            frames = Arrays.copyOf(frames, depth * 2);
        }
        IterationFrame f = frames[depth];
        if (f == null) {
            f = new IterationFrame();
            frames[depth] = f;
        }
        depth++;
        f.clearPending();
        return f;
    }

    /** GLib's {@code g_main_context_prepare}. */
    private void prepare(IterationFrame f) {
        int current = Integer.MAX_VALUE;
        int nReady = 0;
        long timeout = -1;
        long now = NOT_READ; // the clock may read negative: a sentinel that it cannot reach
        for (SourceHandleImpl s : sources) {
            if (s.isDestroyed() || s.blocked) {
                continue;
            }
            if (nReady > 0 && s.priority > current) {
                break;
            }
            if (!s.ready) {
                long t = callPrepare(s);
                if (s.isDestroyed()) {
                    finalizeIfIdle(s);
                    continue;
                }
                boolean result = t == 0;
                if (t < 0) {
                    t = -1;
                }
                long rt = s.readyTimeNanos;
                if (!result && rt >= 0) {
                    if (now == NOT_READ) {
                        now = clocks.nanos(ClockType.REALTIME);
                    }
                    if (rt <= now) {
                        result = true;
                    } else {
                        t = Timeouts.soonest(t, Timeouts.untilDeadline(rt, now)); // saturating
                    }
                }
                if (result) {
                    s.ready = true;
                } else {
                    timeout = Timeouts.soonest(timeout, t);
                }
            }
            if (s.ready) {
                nReady++;
                current = s.priority;
            }
        }
        f.maxPriority = current;
        f.timeoutNanos = nReady > 0 ? 0 : timeout;
    }

    /**
     * A source's prepare, marked as running (it may not recurse into this context) and guarded: a
     * prepare that throws is reported and counts as "not ready, no timeout".
     */
    private long callPrepare(SourceHandleImpl s) {
        inPrepareOrCheck++;
        s.inCall++;
        try {
            return s.source.prepare(s);
        } catch (Throwable e) {
            report(s, "prepare", e);
            return -1;
        } finally {
            s.inCall--;
            inPrepareOrCheck--;
        }
    }

    /** A source's check, as {@link #callPrepare}; one that throws counts as "not ready". */
    private boolean callCheck(SourceHandleImpl s) {
        inPrepareOrCheck++;
        s.inCall++;
        try {
            return s.source.check(s);
        } catch (Throwable e) {
            report(s, "check", e);
            return false;
        } finally {
            s.inCall--;
            inPrepareOrCheck--;
        }
    }

    /** GLib's {@code g_main_context_query}: the fds of the sources in reach. */
    private void query(IterationFrame f) {
        f.pollVersion = pollVersion;
        for (SourceHandleImpl s : sources) {
            if (s.priority > f.maxPriority) {
                break;
            }
            if (s.isDestroyed() || s.blocked) {
                continue;
            }
            for (PollFdImpl p : s.pollFds) {
                waitSet.add(p.fd(), p.events());
            }
        }
        waitSet.add(notifierFd, IoEvents.IN);
    }

    /** The one wait, inside the notify handshake (QEMU's aio_poll/aio_ctx_prepare+check sides). */
    private int waitStep(long timeout) {
        if (timeout != 0) {
            notifyMe = true;
            if (notified) {
                timeout = 0;
            }
        }
        int result;
        try {
            if (timeout != 0) {
                blockingWaits++;
            }
            result = waitSet.await(timeout);
        } catch (AioException e) {
            report(null, "wait", e);
            result = -1;
        } finally {
            notifyMe = false;
        }
        // Accept: a wakeup from here on makes the next wait return at once.
        notified = false;
        if (waitSet.revents(notifierFd) != 0) {
            notifier.testAndClear();
        }
        return result;
    }

    /** GLib's {@code g_main_context_check}. */
    private boolean check(IterationFrame f) {
        SourceHandleImpl[] srcs = sources;
        boolean pollChanged = pollVersion != f.pollVersion;
        for (SourceHandleImpl s : srcs) {
            boolean polled = !pollChanged && s.priority <= f.maxPriority && !s.blocked;
            for (PollFdImpl p : s.pollFds) {
                p.setResult(polled ? waitSet.revents(p.fd()) : 0);
            }
        }
        if (pollChanged) {
            return false;
        }
        int max = f.maxPriority;
        int nReady = 0;
        long now = NOT_READ; // the clock may read negative: a sentinel that it cannot reach
        for (SourceHandleImpl s : srcs) {
            if (s.isDestroyed() || s.blocked) {
                continue;
            }
            if (nReady > 0 && s.priority > max) {
                break;
            }
            if (!s.ready) {
                boolean result = callCheck(s);
                if (s.isDestroyed()) {
                    finalizeIfIdle(s);
                    continue;
                }
                if (!result) {
                    for (PollFdImpl p : s.pollFds) {
                        if (p.revents != 0) {
                            result = true;
                            break;
                        }
                    }
                }
                long rt = s.readyTimeNanos;
                if (!result && rt >= 0) {
                    if (now == NOT_READ) {
                        now = clocks.nanos(ClockType.REALTIME);
                    }
                    result = rt <= now;
                }
                if (result) {
                    s.ready = true;
                }
            }
            if (s.ready) {
                f.addPending(s);
                nReady++;
                max = s.priority; // never dispatch a lower priority than the first one chosen
            }
        }
        return nReady > 0;
    }

    /** GLib's {@code g_main_dispatch}. */
    private void dispatch(IterationFrame f) {
        for (int i = 0; i < f.pendingCount; i++) {
            SourceHandleImpl s = f.pending[i];
            f.pending[i] = null;
            if (!s.ready) {
                continue; // a nested iteration dispatched it already
            }
            s.ready = false;
            if (s.isDestroyed()) {
                continue;
            }
            boolean block = !s.canRecurse;
            if (block) {
                s.blocked = true;
            }
            s.inCall++;
            boolean keep;
            try {
                keep = s.source.dispatch(s);
            } catch (Throwable e) {
                report(s, "dispatch", e);
                keep = true;
            } finally {
                s.inCall--;
                if (block) {
                    s.blocked = false;
                }
            }
            if (!keep) {
                s.destroy();
            }
            finalizeIfIdle(s);
        }
        f.pendingCount = 0;
    }

    /** Owner thread: runs onDestroy once, when the source is destroyed and none of its callbacks runs. */
    private void finalizeIfIdle(SourceHandleImpl s) {
        if (s.isDestroyed() && s.inCall == 0 && s.finalized.compareAndSet(false, true)) {
            s.ready = false;
            for (PollFdImpl p : s.pollFds) {
                p.revents = 0;
            }
            try {
                s.source.onDestroy(s);
            } catch (Throwable e) {
                report(s, "onDestroy", e);
            }
        }
    }

    /** Owner thread. */
    private void drainFinalizeQueue() {
        for (SourceHandleImpl s; (s = toFinalize.poll()) != null;) {
            finalizeIfIdle(s); // one on the stack is finalized when its callback returns
        }
    }

    private void report(SourceHandleImpl s, String what, Throwable e) {
        String where = s == null ? what : "source '" + s.name() + "' " + what;
        try {
            errorHandler.onError(name, where, e);
        } catch (Throwable t) {
            logError(name, where, e);
        }
    }

    private static void logError(String context, String what, Throwable e) {
        LOG.log(System.Logger.Level.ERROR, "main context '" + context + "': " + what + " failed", e);
    }

    private static int indexOf(SourceHandleImpl[] a, SourceHandleImpl s) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == s) {
                return i;
            }
        }
        return -1;
    }

    // ------------------------------------------------------------------ teardown

    /**
     * @return whether {@link #close()} was called
     */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Destroys every source (each {@code onDestroy} runs once) and closes the monitor and the
     * notifier. Call it from the owner thread or when nobody iterates; idempotent.
     *
     * @throws WrongThreadException if another thread is iterating the context
     */
    @Override
    public void close() {
        if (!acquireForLoop()) {
            throw new WrongThreadException("close", name, owner);
        }
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (backend != null) {
                backend.stop();
            }
            for (SourceHandleImpl s : sources) {
                s.destroy();
            }
        } finally {
            release();
        }
        waitSet.close();
        notifier.close();
    }

    @Override
    public String toString() {
        return "MainContext[" + name + ", " + sources.length + " sources, backend " + backendName() + "]";
    }
}
