package org.aioloop.backend.epoll;

import org.aioloop.api.backend.PollBackend;
import org.aioloop.posix.testing.FdMonitorContract;

/**
 * The shared {@link FdMonitorContract} against the epoll backend forced onto its fallback wait
 * (ppoll on the epoll fd, then epoll_wait(0)), the path kernels before 5.11 take.
 */
class EpollPpollFallbackMonitorTest extends FdMonitorContract {
    private final PollBackend backend = new EpollBackend(false);

    @Override
    protected PollBackend backend() {
        return backend;
    }

    @Override
    protected boolean reportsClosedFdAsNval() {
        return false;
    }

    @Override
    protected boolean hasPollableFd() {
        return true;
    }
}
