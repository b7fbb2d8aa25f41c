package org.aioloop.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.aioloop.api.ClockType;
import org.junit.jupiter.api.Test;

/** The process-wide clocks start near zero and VIRTUAL follows REALTIME until stopped. */
class SystemClockSourceTest {
    @Test
    void virtualStartsNearRealtimeAndNeverNegative() {
        SystemClockSource clocks = SystemClockSource.INSTANCE;
        long virtual = clocks.nanos(ClockType.VIRTUAL);
        long realtime = clocks.nanos(ClockType.REALTIME);
        assertTrue(virtual >= 0, "VIRTUAL must not start negative: " + virtual);
        assertTrue(realtime >= virtual, "VIRTUAL runs with REALTIME, never ahead: " + virtual + " > " + realtime);
        // A timer armed "now" on VIRTUAL must be a valid (non-negative) deadline.
        assertTrue(clocks.nanos(ClockType.REALTIME) - virtual < 60_000_000_000L,
                "VIRTUAL lags REALTIME by more than a minute without ever being stopped");
    }

    @Test
    void stoppedVirtualStandsStillWhileRealtimeRuns() {
        SystemClockSource clocks = SystemClockSource.INSTANCE;
        clocks.stopVirtual();
        try {
            assertFalse(clocks.isVirtualRunning());
            long v1 = clocks.nanos(ClockType.VIRTUAL);
            long r1 = clocks.nanos(ClockType.REALTIME);
            long r2;
            do {
                r2 = clocks.nanos(ClockType.REALTIME);
            } while (r2 - r1 < 1_000_000L); // let REALTIME advance 1 ms (bounded: it is monotonic)
            assertTrue(clocks.nanos(ClockType.VIRTUAL) == v1, "VIRTUAL moved while stopped");
        } finally {
            clocks.resumeVirtual();
        }
        assertTrue(clocks.isVirtualRunning());
    }
}
