package org.aioloop.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;

/**
 * Measures bytes allocated by the current thread (HotSpot's com.sun.management.ThreadMXBean), for
 * the steady-state "no allocation per iteration" tests of every package.
 */
public final class Allocation {
    private static final com.sun.management.ThreadMXBean MX =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private Allocation() {
    }

    /** @return the bytes the current thread allocated so far */
    public static long allocatedBytes() {
        return MX.getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    /**
     * Runs {@code body} {@code iterations} times to warm up (JIT, lazily grown arrays), then as many
     * times again while measuring. A few hundred bytes of slack cover the measurement itself
     * (the MXBean call may allocate once); anything per iteration would show up as
     * {@code iterations} times its size.
     */
    public static void assertNoAllocation(String what, int iterations, Runnable body) {
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
