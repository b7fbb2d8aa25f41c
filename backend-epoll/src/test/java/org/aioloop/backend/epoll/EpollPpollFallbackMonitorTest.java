package org.aioloop.backend.epoll;

import org.aioloop.api.backend.PollBackend;
import org.aioloop.posix.testing.FdMonitorContract;

/**
 * The shared {@link FdMonitorContract} against the epoll backend forced onto its fallback wait
 * (ppoll on the epoll fd, then epoll_wait(0)), the path kernels before 5.11 take. Everything but
 * the backend is as in {@link EpollMonitorTest}.
 */
class EpollPpollFallbackMonitorTest extends EpollMonitorTest {
    private final PollBackend fallback = new EpollBackend(false);

    @Override
    protected PollBackend backend() {
        return fallback;
    }
}
