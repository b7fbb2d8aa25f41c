package org.aioloop.core.main;

import java.util.Arrays;

import org.aioloop.api.AioException;
import org.aioloop.api.IoEvents;
import org.aioloop.api.backend.FdMonitor;
import org.aioloop.api.backend.ReadySet;

/**
 * The set of fds one main-context wait polls, rebuilt for every wait as GLib's {@code query} does,
 * on top of a persistent {@link FdMonitor}.
 *
 * <p>Each round: {@link #begin()}, then {@link #add} every wanted (fd, events) (records for the
 * same fd are merged by OR-ing their events, as GLib merges poll records), then {@link #wait(long)}
 * brings the monitor's registrations in line with the wanted set (add / modify / remove only for
 * what changed since the last round, so a steady set costs no registration calls at all) and waits.
 * Afterwards {@link #revents(int)} gives each fd's result until the next {@link #begin()}.
 *
 * <p>An fd the monitor refuses (closed, invalid) is reported with {@link IoEvents#NVAL} and the
 * wait does not block, as poll(2) reports an invalid entry; the other fds are unaffected.
 *
 * <p>Owner thread only. All tables are indexed by fd and grow by doubling: no allocation per round.
 */
final class WaitSet implements AutoCloseable {
    /** Replaced only by the owner ({@link #replaceMonitor}); volatile for {@link #backendName()}. */
    private volatile FdMonitor monitor;
    private final ReadySet ready = new ReadySet(64);
    /** By fd: the events wanted this round, 0 = not wanted. */
    private int[] want = new int[64];
    /** By fd: the events registered in the monitor, 0 = not registered. */
    private int[] have = new int[64];
    /** By fd: the result of the last wait. */
    private int[] rev = new int[64];
    private int[] wantList = new int[16];
    private int wantCount;
    private int[] haveList = new int[16];
    private int haveCount;
    private long registrationCalls;

    /**
     * @param monitor the monitor to wait on; owned (closed) by this set
     */
    WaitSet(FdMonitor monitor) {
        this.monitor = monitor;
    }

    /** Starts a new round: forgets the wanted set and the last results. */
    void begin() {
        for (int i = 0; i < wantCount; i++) {
            int fd = wantList[i];
            want[fd] = 0;
            rev[fd] = 0;
        }
        wantCount = 0;
    }

    /**
     * Adds an fd to this round (merged with earlier adds of the same fd).
     *
     * @param fd     an fd; negative fds and empty interest are ignored
     * @param events interest bits ({@link IoEvents})
     */
    void add(int fd, int events) {
        int e = events & IoEvents.INTEREST_MASK;
        if (fd < 0 || e == 0) {
            return;
        }
        ensureFd(fd);
        if (want[fd] == 0) {
            if (wantCount == wantList.length) {
                wantList = Arrays.copyOf(wantList, wantCount * 2);
            }
            wantList[wantCount++] = fd;
        }
        want[fd] |= e;
    }

    /**
     * Syncs the monitor with this round's set and waits.
     *
     * @param timeoutNanos -1 infinite, 0 do not block, else the longest wait
     * @return the number of fds with a result (ready or refused)
     * @throws AioException if the wait itself fails; the registrations stay consistent
     */
    int await(long timeoutNanos) {
        int refused = sync();
        int n = monitor.wait(refused > 0 ? 0 : timeoutNanos, ready);
        for (int i = 0; i < n; i++) {
            int fd = ready.fd(i);
            if (fd >= 0 && fd < rev.length) {
                rev[fd] |= ready.events(i);
            }
        }
        return n + refused;
    }

    /**
     * @param fd an fd added this round
     * @return its result from the last wait, 0 if none
     */
    int revents(int fd) {
        return fd >= 0 && fd < rev.length ? rev[fd] : 0;
    }

    /**
     * @return the number of fds registered in the monitor now
     */
    int registeredCount() {
        return haveCount;
    }

    /**
     * @return the add/modify/remove calls made on the monitor so far (a steady set makes none)
     */
    long registrationCalls() {
        return registrationCalls;
    }

    /**
     * @return the backend the monitor belongs to
     */
    String backendName() {
        return monitor.backendName();
    }

    /**
     * Moves the registrations to another monitor (a live backend switch): every fd registered now is
     * added to {@code next} with the same interest, then {@code next} takes over. Readiness is
     * level-triggered, so an fd that is ready (or becomes ready meanwhile) is reported by the next
     * wait on {@code next}: nothing is lost. An fd that {@code next} refuses (closed since the last
     * round) is dropped from the registered set; the next round adds it again if a source still
     * wants it, and reports it as {@link IoEvents#NVAL} exactly as a new registration would be.
     *
     * @param next the new monitor; owned by this set from now on
     * @return the old monitor, for the caller to close
     */
    FdMonitor replaceMonitor(FdMonitor next) {
        for (int i = 0; i < haveCount; i++) {
            int fd = haveList[i];
            try {
                registrationCalls++;
                next.add(fd, have[fd], fd);
            } catch (AioException e) {
                // refused: dropped below, once next is ours
            }
        }
        FdMonitor old = monitor;
        monitor = next;
        for (int i = 0; i < haveCount;) {
            int fd = haveList[i];
            if (next.contains(fd)) {
                i++;
            } else {
                have[fd] = 0;
                haveList[i] = haveList[--haveCount];
            }
        }
        return old;
    }

    @Override
    public void close() {
        monitor.close();
    }

    /** @return how many wanted fds the monitor refused this round (reported as NVAL) */
    private int sync() {
        int refused = 0;
        for (int i = 0; i < haveCount;) {
            int fd = haveList[i];
            int w = want[fd];
            if (w == have[fd]) {
                i++;
                continue;
            }
            if (w != 0) {
                try {
                    registrationCalls++;
                    monitor.modify(fd, w, fd);
                    have[fd] = w;
                    i++;
                    continue;
                } catch (AioException e) {
                    rev[fd] = IoEvents.NVAL;
                    refused++;
                }
            }
            removeQuietly(fd);
            have[fd] = 0;
            haveList[i] = haveList[--haveCount];
        }
        for (int i = 0; i < wantCount; i++) {
            int fd = wantList[i];
            if (have[fd] != 0 || rev[fd] == IoEvents.NVAL) {
                continue;
            }
            try {
                registrationCalls++;
                monitor.add(fd, want[fd], fd);
            } catch (AioException e) {
                rev[fd] = IoEvents.NVAL;
                refused++;
                continue;
            }
            have[fd] = want[fd];
            if (haveCount == haveList.length) {
                haveList = Arrays.copyOf(haveList, haveCount * 2);
            }
            haveList[haveCount++] = fd;
        }
        return refused;
    }

    private void removeQuietly(int fd) {
        try {
            registrationCalls++;
            monitor.remove(fd);
        } catch (AioException e) {
            // Already gone from the monitor (epoll drops closed fds by itself): nothing to undo.
        }
    }

    private void ensureFd(int fd) {
        if (fd >= want.length) {
            int n = Math.max(fd + 1, want.length * 2);
            want = Arrays.copyOf(want, n);
            have = Arrays.copyOf(have, n);
            rev = Arrays.copyOf(rev, n);
        }
    }
}
