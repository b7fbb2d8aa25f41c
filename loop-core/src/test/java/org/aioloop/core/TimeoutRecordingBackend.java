package org.aioloop.core;

import java.util.concurrent.atomic.AtomicLong;
import org.aioloop.api.backend.FdMonitor;
import org.aioloop.api.backend.PollBackend;
import org.aioloop.api.backend.ReadySet;

/**
 * A test backend over a real one that records the timeout of every wait and then waits with
 * timeout 0, so a test can see what a loop <em>would</em> have blocked for without blocking.
 */
public final class TimeoutRecordingBackend implements PollBackend {
    /** No wait recorded yet. */
    public static final long NONE = Long.MIN_VALUE;

    private final PollBackend real;
    private final AtomicLong lastTimeout = new AtomicLong(NONE);

    /**
     * @param real the backend that does the work
     */
    public TimeoutRecordingBackend(PollBackend real) {
        this.real = real;
    }

    /**
     * @return the timeout of the last wait, {@link #NONE} if none; resets to {@link #NONE}
     */
    public long takeLastTimeout() {
        return lastTimeout.getAndSet(NONE);
    }

    @Override
    public String name() {
        return "recording";
    }

    @Override
    public int rank() {
        return 0;
    }

    @Override
    public String unavailableReason() {
        return null;
    }

    @Override
    public FdMonitor open() {
        FdMonitor m = real.open();
        return new FdMonitor() {
            @Override
            public String backendName() {
                return "recording";
            }

            @Override
            public void add(int fd, int events, long token) {
                m.add(fd, events, token);
            }

            @Override
            public void modify(int fd, int events, long token) {
                m.modify(fd, events, token);
            }

            @Override
            public void remove(int fd) {
                m.remove(fd);
            }

            @Override
            public boolean contains(int fd) {
                return m.contains(fd);
            }

            @Override
            public int size() {
                return m.size();
            }

            @Override
            public int wait(long timeoutNanos, ReadySet ready) {
                lastTimeout.set(timeoutNanos);
                return m.wait(0, ready);
            }

            @Override
            public int pollableFd() {
                return m.pollableFd();
            }

            @Override
            public void close() {
                m.close();
            }
        };
    }
}
