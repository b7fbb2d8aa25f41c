package org.aioloop.core.main;

import java.util.Arrays;

import org.aioloop.api.InvalidFdException;
import org.aioloop.api.IoEvents;
import org.aioloop.api.PollPhase;
import org.aioloop.api.PollSet;
import org.aioloop.core.aio.Timeouts;

/**
 * The main loop's own part of the wait (QEMU's {@code MainLoopPoll} with its {@code gpollfds}):
 * what the poll notifiers add during FILL, and their results for OK/ERR. Reused every iteration;
 * the arrays grow by doubling and never shrink. Loop thread only.
 */
final class PollSetImpl implements PollSet {
    private int[] fds = new int[8];
    private int[] events = new int[8];
    private int[] revents = new int[8];
    private int count;
    private long timeoutNanos;
    private PollPhase phase = PollPhase.OK;

    /** Starts an iteration: no fds, the given timeout, FILL phase. */
    void reset(long timeout) {
        count = 0;
        timeoutNanos = timeout;
        phase = PollPhase.FILL;
    }

    void setPhase(PollPhase phase) {
        this.phase = phase;
    }

    int count() {
        return count;
    }

    /** Adds this iteration's fds to the shared wait. */
    void addTo(WaitSet waitSet) {
        for (int i = 0; i < count; i++) {
            waitSet.add(fds[i], events[i]);
        }
    }

    /** Copies the results out of the shared wait (before any dispatch can reuse it). */
    void collect(WaitSet waitSet, boolean failed) {
        for (int i = 0; i < count; i++) {
            revents[i] = failed ? 0 : waitSet.revents(fds[i]) & (events[i] | PollFdImpl.ALWAYS_REPORTED);
        }
    }

    @Override
    public int add(int fd, int events) {
        if (phase != PollPhase.FILL) {
            throw new IllegalStateException("poll set: fd " + fd + " can only be added during FILL, not " + phase);
        }
        if (fd < 0) {
            throw new InvalidFdException(fd, "negative fd added to the main loop's poll set");
        }
        if ((events & IoEvents.INTEREST_MASK) == 0) {
            throw new InvalidFdException(fd, "empty interest mask " + IoEvents.describe(events)
                    + " added to the main loop's poll set");
        }
        if (count == fds.length) {
            int n = count * 2;
            fds = Arrays.copyOf(fds, n);
            this.events = Arrays.copyOf(this.events, n);
            revents = Arrays.copyOf(revents, n);
        }
        fds[count] = fd;
        this.events[count] = events & IoEvents.INTEREST_MASK;
        revents[count] = 0;
        return count++;
    }

    @Override
    public void lowerTimeoutNanos(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("poll set: timeout must be >= 0, not " + nanos);
        }
        if (phase != PollPhase.FILL) {
            throw new IllegalStateException("poll set: the timeout can only be lowered during FILL, not " + phase);
        }
        timeoutNanos = Timeouts.soonest(timeoutNanos, nanos);
    }

    @Override
    public long timeoutNanos() {
        return timeoutNanos;
    }

    @Override
    public int revents(int index) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException("poll set index " + index + " (size " + count + ")");
        }
        return revents[index];
    }
}
