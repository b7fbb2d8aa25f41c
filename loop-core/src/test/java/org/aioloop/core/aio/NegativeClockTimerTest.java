package org.aioloop.core.aio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.aioloop.api.ClockType;
import org.aioloop.api.PollParams;
import org.aioloop.api.Timer;
import org.aioloop.core.AioContexts;
import org.aioloop.core.BackendRegistry;
import org.aioloop.core.ManualClockSource;
import org.aioloop.core.TimeoutRecordingBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Timers on clocks that read below zero (a clock's origin is not specified) and timers that never
 * expire: only a real overflow saturates, and the time left never wraps into "expired".
 */
class NegativeClockTimerTest {
    private final ManualClockSource clock = new ManualClockSource();
    private final TimerListGroup group = new TimerListGroup(clock, () -> { });
    private final TimerList.Runner runner = t -> t.callback.run();

    @ParameterizedTest
    @EnumSource(value = ClockType.class, names = {"HOST", "VIRTUAL"})
    void shortDelayFiresOnAClockBelowZero(ClockType type) {
        clock.set(type, -5_000_000_000L);
        AtomicInteger fired = new AtomicInteger();
        TimerImpl t = group.list(type).newTimer("t", fired::incrementAndGet);
        t.modIn(1, TimeUnit.MILLISECONDS);
        assertTrue(t.isPending());
        assertEquals(-4_999_000_000L, t.expireTimeNanos(), "now + delay, not saturated");
        assertEquals(1_000_000L, group.deadlineNs());
        assertFalse(group.run(runner));
        clock.advance(1_000_000L);
        assertEquals(0, group.deadlineNs());
        assertTrue(group.run(runner));
        assertEquals(1, fired.get());
        assertFalse(t.isPending());
        assertEquals(-1, t.expireTimeNanos());
    }

    @Test
    void onlyARealOverflowSaturates() {
        TimerImpl t = group.list(ClockType.HOST).newTimer("t", () -> { });
        clock.set(ClockType.HOST, Long.MAX_VALUE - 10);
        t.modIn(11, TimeUnit.NANOSECONDS);
        assertEquals(Long.MAX_VALUE, t.expireTimeNanos());
        t.modIn(Long.MAX_VALUE, TimeUnit.DAYS);
        assertEquals(Long.MAX_VALUE, t.expireTimeNanos());
        clock.set(ClockType.HOST, -(1L << 62));
        t.modIn(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
        assertEquals(Long.MAX_VALUE - (1L << 62), t.expireTimeNanos(), "no overflow, no saturation");
    }

    @ParameterizedTest
    @ValueSource(longs = {Long.MIN_VALUE + 1, -(1L << 62), -1_000_000_000L, -1, 0, 1, 1L << 62, Long.MAX_VALUE - 1})
    void aNeverDeadlineGivesAPositiveTimeoutAtAnyClockReading(long now) {
        clock.set(ClockType.HOST, now);
        TimerImpl t = group.list(ClockType.HOST).newTimer("never", () -> { });
        t.modNanos(Long.MAX_VALUE);
        long expected = Long.MAX_VALUE - now < 0 ? Long.MAX_VALUE : Long.MAX_VALUE - now;
        assertEquals(expected, group.deadlineNs(), "time left, saturated; never 0 (a spinning loop)");
        assertFalse(group.run(runner));
        assertTrue(t.isPending());
    }

    @Test
    void timeoutArithmetic() {
        assertEquals(Long.MAX_VALUE, Timeouts.deadlineAfter(1, Long.MAX_VALUE));
        assertEquals(-4, Timeouts.deadlineAfter(-5, 1));
        assertEquals(Long.MAX_VALUE, Timeouts.deadlineAfter(Long.MAX_VALUE, 0));
        assertEquals(0, Timeouts.untilDeadline(-5, -5));
        assertEquals(0, Timeouts.untilDeadline(Long.MIN_VALUE, Long.MAX_VALUE));
        assertEquals(Long.MAX_VALUE, Timeouts.untilDeadline(Long.MAX_VALUE, -1));
        assertEquals(Long.MAX_VALUE, Timeouts.untilDeadline(Long.MAX_VALUE, Long.MIN_VALUE));
        assertEquals(3, Timeouts.untilDeadline(-2, -5));
    }

    /** The context asks its monitor for a long wait, not a zero one, with a "never" timer pending. */
    @ParameterizedTest
    @ValueSource(longs = {-1_000_000_000L, 0, 1L << 62})
    void contextWithANeverTimerDoesNotSpin(long now) {
        BackendRegistry reg = new BackendRegistry();
        TimeoutRecordingBackend rec = new TimeoutRecordingBackend(BackendRegistry.shared().require("poll"));
        reg.add(rec);
        clock.set(ClockType.HOST, now);
        try (AioContextImpl ctx = AioContexts.builder().name("never").registry(reg).backend("recording")
                .clocks(clock).pollParams(PollParams.OFF).epollUpgradeThreshold(0).build()) {
            ctx.poll(false); // adopt the home thread, settle the notifier
            Timer t = ctx.newTimer(ClockType.HOST, "never", () -> { });
            t.modNanos(Long.MAX_VALUE);
            ctx.poll(false); // accept the arming kick
            rec.takeLastTimeout();
            assertFalse(ctx.poll(true));
            long timeout = rec.takeLastTimeout();
            assertTrue(timeout > 1_000_000_000L, "blocking wait of " + timeout + " ns with only a never-timer");
            t.close();
        }
    }

    @Test
    void contextRunsAShortTimerOnANegativeClock() {
        clock.set(ClockType.VIRTUAL, -3_000_000_000L);
        try (AioContextImpl ctx = Contexts.open("poll", clock)) {
            AtomicInteger fired = new AtomicInteger();
            Timer t = ctx.newTimer(ClockType.VIRTUAL, "short", fired::incrementAndGet);
            t.modIn(10, TimeUnit.MICROSECONDS);
            ctx.poll(false);
            assertEquals(0, fired.get());
            clock.advance(10_000L);
            ctx.poll(false);
            assertEquals(1, fired.get());
            t.close();
        }
    }
}
