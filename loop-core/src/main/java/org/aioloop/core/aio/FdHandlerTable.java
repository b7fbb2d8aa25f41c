package org.aioloop.core.aio;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.aioloop.api.AioException;
import org.aioloop.api.ContextSnapshot;
import org.aioloop.api.FdCallback;
import org.aioloop.api.InvalidFdException;
import org.aioloop.api.PollCallback;
import org.aioloop.api.backend.FdMonitor;
import org.aioloop.api.backend.ReadySet;

/**
 * The fd handlers of one context (QEMU's {@code aio_handlers} plus {@code aio_set_fd_handler}), kept
 * backend-neutral so they can be replayed into any monitor.
 *
 * <p><b>Tokens.</b> The token given to the monitor is the fd itself, and {@code byFd[fd]} is the
 * current node: an O(1) array lookup per ready event.
 *
 * <p><b>Threads.</b> The table (which node is current for an fd) changes under {@link #lock} from any
 * thread, and takes effect at once: a replaced or removed node is marked deleted before the call
 * returns, so it is never called again. The {@link FdMonitor} is confined to the home thread: the
 * home thread (and, before a context has a home thread, the registering thread under the lock)
 * applies a change to the monitor immediately and reports a failure to the caller; another thread
 * only marks the fd dirty and kicks the loop, and the home thread applies the dirty fds at the start
 * of its next pass ({@link #syncMonitor}). A monitor failure found then (the fd was closed meanwhile)
 * drops that registration and is reported through the error handler.
 */
final class FdHandlerTable {
    /** Reports a registration failure found on the home thread. */
    interface FailureSink {
        void registrationFailed(int fd, AioException error);
    }

    final ReentrantLock lock = new ReentrantLock();
    private volatile FdHandler[] byFd = new FdHandler[64];
    private volatile long version;
    private int liveCount;
    private int pollDisableCount;

    // Dirty fds waiting for the home thread (guarded by lock).
    private int[] dirtyFds = new int[16];
    private int dirtyCount;
    private boolean[] isDirty = new boolean[64];
    private volatile boolean dirty;

    // Home thread only (or under lock before a home thread exists).
    private FdMonitor monitor;
    private int[] monitored = new int[64];
    /** The node whose interest the monitor holds for each fd (home thread / under lock). */
    private FdHandler[] applied = new FdHandler[64];
    private int monitoredCount;
    private FdHandler[] pollCandidates = new FdHandler[16];
    private int pollCandidateCount;
    private long candidatesVersion = -1;

    // Monitor changes made while a background fill of a new monitor is in flight (under lock).
    private boolean tracking;
    private boolean[] isTracked;
    private int[] trackedFds;
    private int trackedCount;

    FdHandlerTable(FdMonitor monitor) {
        this.monitor = monitor;
    }

    FdMonitor monitor() {
        return monitor;
    }

    long version() {
        return version;
    }

    int liveCount() {
        return liveCount;
    }

    /** Handlers without a poll callback: while any exist, busy polling is off (QEMU L6). */
    int pollDisableCount() {
        return pollDisableCount;
    }

    int monitoredCount() {
        return monitoredCount;
    }

    FdHandler get(int fd) {
        FdHandler[] a = byFd;
        return fd < a.length ? a[fd] : null;
    }

    /**
     * Registers or replaces (QEMU's {@code aio_set_fd_handler} with callbacks).
     *
     * @param direct apply to the monitor now (home thread, or no home thread yet)
     * @throws InvalidFdException if applied directly and the monitor rejects the fd; the previous
     *                            registration is then kept
     */
    void set(int fd, FdCallback read, FdCallback write, PollCallback poll, FdCallback pollReady,
            String owner, boolean isNotifier, boolean direct) {
        set(new FdHandler(fd, read, write, poll, pollReady, owner, isNotifier), direct);
    }

    /** {@link #set(int, FdCallback, FdCallback, PollCallback, FdCallback, String, boolean, boolean)} with a built node. */
    void set(FdHandler node, boolean direct) {
        int fd = node.fd;
        lock.lock();
        try {
            ensureFdCapacity(fd);
            FdHandler old = byFd[fd];
            byFd[fd] = node;
            if (direct) {
                try {
                    applyToMonitor(fd, false);
                } catch (AioException e) {
                    byFd[fd] = old;
                    throw e;
                }
            } else {
                markDirty(fd);
            }
            account(old, -1);
            account(node, +1);
            if (old != null) {
                old.deleted = true;
            }
            version++;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes the handler of {@code fd} (QEMU's {@code aio_set_fd_handler} with all NULL).
     *
     * @return whether one was registered
     */
    boolean remove(int fd, boolean direct) {
        if (fd < 0) {
            return false;
        }
        lock.lock();
        try {
            FdHandler old = get(fd);
            if (old == null || old.isNotifier) {
                return false;
            }
            old.deleted = true;
            byFd[fd] = null;
            account(old, -1);
            version++;
            if (direct) {
                try {
                    applyToMonitor(fd, false);
                } catch (AioException e) {
                    // remove() works on closed fds for the backends; anything else: forget it anyway.
                    track(fd);
                    monitored[fd] = 0;
                }
            } else {
                markDirty(fd);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void account(FdHandler h, int delta) {
        if (h == null) {
            return;
        }
        liveCount += delta;
        if (!h.canPoll()) {
            pollDisableCount += delta;
        }
    }

    private void ensureFdCapacity(int fd) {
        if (fd >= byFd.length) {
            int n = Math.max(fd + 1, byFd.length * 2);
            byFd = Arrays.copyOf(byFd, n);
            isDirty = Arrays.copyOf(isDirty, n);
        }
        if (fd >= monitored.length) {
            int n = Math.max(fd + 1, monitored.length * 2);
            monitored = Arrays.copyOf(monitored, n);
            applied = Arrays.copyOf(applied, n);
            if (tracking) {
                isTracked = Arrays.copyOf(isTracked, n);
            }
        }
    }

    private void markDirty(int fd) {
        if (!isDirty[fd]) {
            isDirty[fd] = true;
            if (dirtyCount == dirtyFds.length) {
                dirtyFds = Arrays.copyOf(dirtyFds, dirtyCount * 2);
            }
            dirtyFds[dirtyCount++] = fd;
        }
        dirty = true;
    }

    /**
     * Brings the monitor to the table's state for one fd. Caller holds the lock.
     *
     * @param deferred the change was made by another thread and is applied late: the fd may have
     *                 been removed, closed and its number reused meanwhile (the kernel then dropped
     *                 it from an epoll set by itself), so a node change is applied as remove + add
     *                 rather than trusted as an interest change
     */
    private void applyToMonitor(int fd, boolean deferred) {
        track(fd);
        FdHandler h = byFd[fd];
        int want = h == null ? 0 : h.events;
        int have = monitored[fd];
        if (deferred && have != 0 && h != applied[fd]) {
            monitored[fd] = 0;
            applied[fd] = null;
            monitoredCount--;
            monitor.remove(fd); // tolerates a closed or reused fd
            have = 0;
        }
        if (want == have) {
            applied[fd] = h;
            return;
        }
        if (have == 0) {
            monitor.add(fd, want, fd);
            monitoredCount++;
        } else if (want == 0) {
            monitored[fd] = 0;
            applied[fd] = null;
            monitoredCount--;
            monitor.remove(fd);
            return;
        } else {
            monitor.modify(fd, want, fd);
        }
        monitored[fd] = want;
        applied[fd] = h;
    }

    /** Applies the changes other threads made since the last pass. Home thread. */
    void syncMonitor(FailureSink sink) {
        if (!dirty) {
            return;
        }
        lock.lock();
        try {
            dirty = false;
            for (int i = 0; i < dirtyCount; i++) {
                int fd = dirtyFds[i];
                isDirty[fd] = false;
                try {
                    applyToMonitor(fd, true);
                } catch (AioException e) {
                    FdHandler h = byFd[fd];
                    if (h != null && !h.isNotifier) {
                        h.deleted = true;
                        byFd[fd] = null;
                        account(h, -1);
                        version++;
                    }
                    track(fd);
                    if (monitored[fd] != 0 && !monitor.contains(fd)) {
                        monitored[fd] = 0;
                        applied[fd] = null;
                        monitoredCount--;
                    }
                    sink.registrationFailed(fd, e);
                }
            }
            dirtyCount = 0;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Moves the ready set into a ready list, skipping nodes removed meanwhile.
     */
    void collect(ReadySet ready, ReadyList into) {
        FdHandler[] a = byFd;
        for (int i = 0, n = ready.size(); i < n; i++) {
            int fd = (int) ready.token(i);
            FdHandler h = fd >= 0 && fd < a.length ? a[fd] : null;
            if (h != null && !h.deleted) {
                into.add(h, ready.events(i), false);
            }
        }
    }

    /**
     * Replays every monitored registration into {@code next} (backend switch). Home thread.
     *
     * @throws AioException from {@code next}; the caller closes it and keeps the current monitor
     */
    void replayInto(FdMonitor next) {
        lock.lock();
        try {
            for (int fd = 0; fd < monitored.length; fd++) {
                if (monitored[fd] != 0) {
                    next.add(fd, monitored[fd], fd);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Records that the monitor state of {@code fd} may change (while a fill is in flight). Caller holds the lock. */
    private void track(int fd) {
        if (tracking && !isTracked[fd]) {
            isTracked[fd] = true;
            if (trackedCount == trackedFds.length) {
                trackedFds = Arrays.copyOf(trackedFds, trackedCount * 2);
            }
            trackedFds[trackedCount++] = fd;
        }
    }

    /**
     * Copies every monitored (fd, interest) and starts tracking the fds whose monitor state changes
     * from now on, so a monitor filled from the copy on another thread can be brought up to date by
     * {@link #finishFill}. Home thread, between passes.
     *
     * @return a copy of the interest by fd (0 = not monitored)
     */
    int[] beginFill() {
        lock.lock();
        try {
            tracking = true;
            isTracked = new boolean[monitored.length];
            trackedFds = new int[64];
            trackedCount = 0;
            // A bulk copy (an intrinsic, microseconds for 10,000 fds); the filling thread walks it.
            // Walking it here ran interpreted (switches are rare) and cost the loop up to 1.8 ms.
            return monitored.clone();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Brings a monitor filled from {@link #beginFill}'s copy up to date and swaps it in. Home thread,
     * between passes; {@code next} was handed over from the filling thread with a happens-before edge.
     * A tracked fd is applied as remove + add, never trusted as an interest change: it may have been
     * removed, closed and its number reused while the fill ran (the kernel then dropped the old
     * file from an epoll set by itself).
     *
     * @param failed fds of the copy that {@code next} refused while filling (closed meanwhile?):
     *               re-added here unless they changed since
     * @return the old monitor, for the caller to close
     * @throws AioException from {@code next}; tracking has stopped, the caller closes {@code next}
     *                      and the current monitor stays
     */
    FdMonitor finishFill(FdMonitor next, int[] failed, int failedCount) {
        lock.lock();
        try {
            for (int i = 0; i < failedCount; i++) {
                int fd = failed[i];
                if (!isTracked[fd] && monitored[fd] != 0) {
                    next.add(fd, monitored[fd], fd); // as the synchronous replay: a failure fails the switch
                }
            }
            for (int i = 0; i < trackedCount; i++) {
                int fd = trackedFds[i];
                if (next.contains(fd)) {
                    next.remove(fd);
                }
                if (monitored[fd] != 0) {
                    next.add(fd, monitored[fd], fd);
                }
            }
            FdMonitor old = monitor;
            monitor = next;
            version++;
            return old;
        } finally {
            stopTracking();
            lock.unlock();
        }
    }

    /** Stops tracking changes (the fill finished or was abandoned). */
    void abandonFill() {
        lock.lock();
        try {
            stopTracking();
        } finally {
            lock.unlock();
        }
    }

    private void stopTracking() {
        tracking = false;
        isTracked = null;
        trackedFds = null;
        trackedCount = 0;
    }

    /** Swaps in a monitor that {@link #replayInto} filled; returns the old one. Home thread. */
    FdMonitor swapMonitor(FdMonitor next) {
        lock.lock();
        try {
            FdMonitor old = monitor;
            monitor = next;
            version++;
            return old;
        } finally {
            lock.unlock();
        }
    }

    /** The handlers with a poll callback, rebuilt only when the registrations changed. Home thread. */
    FdHandler[] pollCandidates() {
        long v = version;
        if (v != candidatesVersion) {
            lock.lock();
            try {
                int n = 0;
                FdHandler[] a = byFd;
                for (FdHandler h : a) {
                    if (h != null && h.canPoll()) {
                        if (n == pollCandidates.length) {
                            pollCandidates = Arrays.copyOf(pollCandidates, n * 2);
                        }
                        pollCandidates[n++] = h;
                    }
                }
                for (int i = n; i < pollCandidateCount; i++) {
                    pollCandidates[i] = null;
                }
                pollCandidateCount = n;
                candidatesVersion = version;
            } finally {
                lock.unlock();
            }
        }
        return pollCandidates;
    }

    int pollCandidateCount() {
        return pollCandidateCount;
    }

    /** Resets every handler's busy-poll window (QEMU's {@code aio_context_set_poll_params}). */
    void resetPollWindows() {
        for (FdHandler h : byFd) {
            if (h != null) {
                h.pollNs = 0;
            }
        }
    }

    void forEachMonitored(FdVisitor visitor) {
        lock.lock(); // another thread may be growing the arrays
        try {
            for (int fd = 0; fd < monitored.length; fd++) {
                if (monitored[fd] != 0) {
                    visitor.visit(fd, monitored[fd]);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    List<ContextSnapshot.Handler> snapshot() {
        List<ContextSnapshot.Handler> out = new ArrayList<>();
        lock.lock();
        try {
            for (FdHandler h : byFd) {
                if (h != null && !h.isNotifier) {
                    out.add(new ContextSnapshot.Handler(h.fd, h.events, h.owner, h.canPoll()));
                }
            }
        } finally {
            lock.unlock();
        }
        return out;
    }

    /** Forgets every handler (context destruction); the fds are not closed. */
    void clearAll() {
        lock.lock();
        try {
            FdHandler[] a = byFd;
            for (int i = 0; i < a.length; i++) {
                if (a[i] != null) {
                    a[i].deleted = true;
                    a[i] = null;
                }
            }
            liveCount = 0;
            pollDisableCount = 0;
            dirtyCount = 0;
            dirty = false;
            Arrays.fill(isDirty, false);
            Arrays.fill(monitored, 0);
            Arrays.fill(applied, null);
            monitoredCount = 0;
            version++;
        } finally {
            lock.unlock();
        }
    }
}
