package org.aioloop.core.aio;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.aioloop.api.BackendUnavailableException;
import org.aioloop.api.FdRegistrationException;
import org.aioloop.api.backend.FdMonitor;
import org.aioloop.api.backend.PollBackend;
import org.aioloop.core.ForwardingBackend;
import org.aioloop.core.ForwardingMonitor;

/**
 * A real backend whose {@code open()} fails, or whose monitors refuse their n-th add, so switch
 * failures can be provoked; it counts the monitors closed and the adds made by the switch worker.
 */
final class FailingBackend extends ForwardingBackend {
    private final int failOnAdd;
    /** Monitors of this backend closed so far. */
    final AtomicLong closedMonitors = new AtomicLong();
    /** Opens when the first monitor is closed. */
    final CountDownLatch firstClose = new CountDownLatch(1);
    /** Adds made on the switch worker's thread (a background fill). */
    final AtomicLong fillThreadAdds = new AtomicLong();

    /**
     * @param name      the backend's name
     * @param delegate  the real backend
     * @param failOnAdd each monitor refuses its add number {@code failOnAdd} (1-based); -1: open fails
     */
    FailingBackend(String name, PollBackend delegate, int failOnAdd) {
        super(name, delegate);
        this.failOnAdd = failOnAdd;
    }

    @Override
    public FdMonitor open() {
        if (failOnAdd < 0) {
            throw new BackendUnavailableException(name(), "simulated open failure");
        }
        return super.open();
    }

    @Override
    protected FdMonitor wrap(FdMonitor monitor) {
        return new ForwardingMonitor(name(), monitor) {
            int adds;

            @Override
            public void add(int fd, int events, long token) {
                if (Thread.currentThread().getName().equals(SwitchWorker.THREAD_NAME)) {
                    fillThreadAdds.incrementAndGet();
                }
                if (++adds == failOnAdd) {
                    throw new FdRegistrationException(fd, "simulated add failure");
                }
                real.add(fd, events, token);
            }

            @Override
            public void close() {
                closedMonitors.incrementAndGet();
                real.close();
                firstClose.countDown();
            }
        };
    }
}
