package org.aioloop.backend.poll;

import org.aioloop.api.backend.PollBackend;
import org.aioloop.posix.testing.FdMonitorContract;

/** The shared {@link FdMonitorContract} against the poll backend. */
class PollMonitorTest extends FdMonitorContract {
    private final PollBackend backend = new PpollBackend();

    @Override
    protected PollBackend backend() {
        return backend;
    }

    @Override
    protected boolean reportsClosedFdAsNval() {
        return true;
    }

    @Override
    protected boolean hasPollableFd() {
        return false;
    }
}
