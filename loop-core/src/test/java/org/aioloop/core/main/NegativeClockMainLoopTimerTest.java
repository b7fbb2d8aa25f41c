package org.aioloop.core.main;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.aioloop.api.ClockType;
import org.aioloop.api.Timer;
import org.aioloop.core.BackendRegistry;
import org.aioloop.core.MainLoops;
import org.aioloop.core.ManualClockSource;
import org.aioloop.core.TimeoutRecordingBackend;
import org.aioloop.core.aio.TimerImpl;
import org.aioloop.core.aio.TimerListGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Main-loop timers (the AioContext's {@link TimerListGroup}, owned by the main loop) on clocks below zero, and a "never" timer that must not make the loop spin. */
class NegativeClockMainLoopTimerTest {
    private final ManualClockSource clock = new ManualClockSource();

    @Test
    void shortDelayFiresOnAClockBelowZero() {
        TimerListGroup timers = new TimerListGroup(clock, () -> { }, "main-loop timer");
        clock.set(ClockType.HOST, -7_000_000_000L);
        AtomicInteger fired = new AtomicInteger();
        Timer t = timers.newTimer(ClockType.HOST, "t", fired::incrementAndGet);
        t.modIn(2, TimeUnit.MILLISECONDS);
        assertTrue(t.isPending());
        assertEquals(-6_998_000_000L, t.expireTimeNanos());
        assertEquals(2_000_000L, timers.deadlineNs());
        clock.advance(2_000_000L);
        assertEquals(0L, timers.deadlineNs());
        assertTrue(timers.run(TimerImpl::runCallback));
        assertEquals(1, fired.get());
        assertFalse(t.isPending());
    }

    @ParameterizedTest
    @ValueSource(longs = {Long.MIN_VALUE + 1, -1_000_000_000L, 0, Long.MAX_VALUE - 1})
    void aNeverDeadlineGivesAPositiveTimeout(long now) {
        TimerListGroup timers = new TimerListGroup(clock, () -> { }, "main-loop timer");
        clock.set(ClockType.HOST, now);
        timers.newTimer(ClockType.HOST, "never", () -> { }).modNanos(Long.MAX_VALUE);
        long d = timers.deadlineNs();
        assertTrue(d > 0, "deadline " + d + " at clock " + now);
        assertFalse(timers.run(TimerImpl::runCallback));
    }

    @Test
    void mainLoopWithANeverTimerBlocksInsteadOfSpinning() {
        BackendRegistry reg = new BackendRegistry();
        reg.add(BackendRegistry.shared().require("poll"));
        TimeoutRecordingBackend rec = new TimeoutRecordingBackend(BackendRegistry.shared().require("poll"));
        reg.add(rec);
        clock.set(ClockType.HOST, -1_000_000_000L);
        try (MainLoops.Loop l = MainLoops.builder().registry(reg).backend("poll").mainContextBackend("recording")
                .clocks(clock).build()) {
            for (int i = 0; i < 10 && l.mainLoopWait(true); i++) {
                // settle
            }
            Timer t = l.newTimer(ClockType.HOST, "never", () -> { });
            t.modNanos(Long.MAX_VALUE);
            l.mainLoopWait(true); // the arming wakeup
            rec.takeLastTimeout();
            assertFalse(l.mainLoopWait(false));
            long timeout = rec.takeLastTimeout();
            assertTrue(timeout == -1 || timeout > 1_000_000_000L, "blocking wait of " + timeout + " ns");
        }
    }

    @Test
    void mainLoopRunsAShortTimerOnANegativeClock() {
        clock.set(ClockType.HOST, -2_000_000_000L);
        try (MainLoops.Loop l = MainLoops.builder().clocks(clock).build()) {
            AtomicInteger fired = new AtomicInteger();
            l.newTimer(ClockType.HOST, "short", fired::incrementAndGet).modIn(1, TimeUnit.MILLISECONDS);
            l.mainLoopWait(true);
            assertEquals(0, fired.get());
            clock.advance(1_000_000L);
            assertTrue(l.mainLoopWait(true));
            assertEquals(1, fired.get());
        }
    }
}
