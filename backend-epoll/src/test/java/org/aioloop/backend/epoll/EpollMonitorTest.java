package org.aioloop.backend.epoll;

import org.aioloop.api.backend.PollBackend;
import org.aioloop.posix.testing.FdMonitorContract;

/** The shared {@link FdMonitorContract} against the epoll backend as deployed (epoll_pwait2 when present). */
class EpollMonitorTest extends FdMonitorContract {
    private final PollBackend backend = new EpollBackend();

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
