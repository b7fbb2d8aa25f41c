package org.aioloop.core.main;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;

import org.aioloop.api.ClockSource;
import org.aioloop.core.BackendRegistry;
import org.aioloop.posix.EventNotifiers;

/** Shared test helpers for the main-loop package. */
final class Support {
    /** The backends every fd test runs on. */
    static final String[] BACKENDS = {"poll", "epoll"};

    private static final com.sun.management.ThreadMXBean MX =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private Support() {
    }

    static MainContextImpl mainContext(String backend, ClockSource clocks) {
        return new MainContextImpl("test-" + backend, clocks, BackendRegistry.shared().require(backend).open(),
                EventNotifiers.create());
    }

    static long allocatedBytes() {
        return MX.getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    /**
     * Warms {@code body} up, then runs it {@code iterations} times while measuring; anything
     * allocated per iteration would show up as {@code iterations} times its size, so a small slack
     * (for the measurement itself) is allowed in total.
     */
    static void assertNoAllocation(String what, int iterations, Runnable body) {
        for (int i = 0; i < iterations; i++) {
            body.run();
        }
        long best = Long.MAX_VALUE;
        for (int attempt = 0; attempt < 3 && best > 1024; attempt++) {
            long before = allocatedBytes();
            for (int i = 0; i < iterations; i++) {
                body.run();
            }
            best = Math.min(best, allocatedBytes() - before);
        }
        assertTrue(best <= 1024, what + " allocated " + best + " bytes over " + iterations + " iterations");
    }
}
