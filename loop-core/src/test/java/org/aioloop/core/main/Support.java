package org.aioloop.core.main;

import org.aioloop.api.ClockSource;
import org.aioloop.core.BackendRegistry;
import org.aioloop.posix.EventNotifiers;

/** Shared test helpers for the main-loop package. */
final class Support {
    /** The backends every fd test runs on. */
    static final String[] BACKENDS = {"poll", "epoll"};

    private Support() {
    }

    static MainContextImpl mainContext(String backend, ClockSource clocks) {
        return new MainContextImpl("test-" + backend, clocks, BackendRegistry.shared().require(backend).open(),
                EventNotifiers.create());
    }
}
