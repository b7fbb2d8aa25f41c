package org.aioloop.core;

import java.util.concurrent.atomic.AtomicLong;
import org.aioloop.api.backend.FdMonitor;
import org.aioloop.api.backend.PollBackend;
import org.aioloop.api.backend.ReadySet;

/**
 * A test backend over a real one that records the timeout of every wait and then waits with
 * timeout 0, so a test can see what a loop <em>would</em> have blocked for without blocking.
 */
public final class TimeoutRecordingBackend extends ForwardingBackend {
    /** No wait recorded yet. */
    public static final long NONE = Long.MIN_VALUE;

    private final AtomicLong lastTimeout = new AtomicLong(NONE);

    /**
     * @param real the backend that does the work
     */
    public TimeoutRecordingBackend(PollBackend real) {
        super("recording", real);
    }

    /**
     * @return the timeout of the last wait, {@link #NONE} if none; resets to {@link #NONE}
     */
    public long takeLastTimeout() {
        return lastTimeout.getAndSet(NONE);
    }

    @Override
    protected FdMonitor wrap(FdMonitor monitor) {
        return new ForwardingMonitor(name(), monitor) {
            @Override
            public int wait(long timeoutNanos, ReadySet ready) {
                lastTimeout.set(timeoutNanos);
                return real.wait(0, ready);
            }
        };
    }
}
