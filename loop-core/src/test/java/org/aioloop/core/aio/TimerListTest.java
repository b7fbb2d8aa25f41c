package org.aioloop.core.aio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.aioloop.api.ClockType;
import org.aioloop.api.ContextClosedException;
import org.aioloop.core.Allocation;
import org.aioloop.core.ManualClockSource;
import org.junit.jupiter.api.Test;

/** Timers (qemu-timer.c semantics) on an injected clock. */
class TimerListTest {
    private final ManualClockSource clock = new ManualClockSource();
    private final AtomicInteger kicks = new AtomicInteger();
    private final TimerListGroup group = new TimerListGroup(clock, kicks::incrementAndGet);
    private final TimerList.Runner runner = t -> t.callback.run();

    @Test
    void firesAtDeadlineNotBefore() {
        AtomicInteger n = new AtomicInteger();
        TimerImpl t = group.list(ClockType.REALTIME).newTimer("t", n::incrementAndGet);
        assertFalse(t.isPending());
        assertEquals(-1, t.expireTimeNanos());
        assertEquals(-1, group.deadlineNs());
        t.modIn(1, TimeUnit.MILLISECONDS);
        assertTrue(t.isPending());
        assertEquals(1_000_000, t.expireTimeNanos());
        assertEquals(1_000_000, group.deadlineNs());
        clock.advance(999_999);
        assertEquals(1, group.deadlineNs());
        assertFalse(group.run(runner), "not yet: no background firing");
        clock.advance(1);
        assertEquals(0, group.deadlineNs());
        assertTrue(group.run(runner));
        assertEquals(1, n.get());
        assertFalse(t.isPending());
        assertFalse(group.run(runner));
    }

    @Test
    void equalDeadlinesFireInArmingOrder() {
        List<Integer> order = new ArrayList<>();
        TimerList l = group.list(ClockType.REALTIME);
        List<TimerImpl> ts = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            final int id = i;
            ts.add(l.newTimer("t" + i, () -> order.add(id)));
        }
        // arm in a scrambled order, all at the same deadline, plus a re-arm that moves one to the back
        int[] armOrder = new int[50];
        Random r = new Random(42);
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            ids.add(i);
        }
        java.util.Collections.shuffle(ids, r);
        for (int i = 0; i < 50; i++) {
            armOrder[i] = ids.get(i);
            ts.get(armOrder[i]).modNanos(500);
        }
        ts.get(armOrder[0]).modNanos(500); // re-arming puts it after the others
        clock.advance(500);
        assertTrue(group.run(runner));
        List<Integer> expected = new ArrayList<>();
        for (int i = 1; i < 50; i++) {
            expected.add(armOrder[i]);
        }
        expected.add(armOrder[0]);
        assertEquals(expected, order);
    }

    @Test
    void heapOrderMatchesSortedDeadlines() {
        TimerList l = group.list(ClockType.HOST);
        Random r = new Random(7);
        List<Long> fired = new ArrayList<>();
        List<TimerImpl> ts = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            TimerImpl[] self = new TimerImpl[1];
            self[0] = l.newTimer("h" + i, () -> fired.add(clock.nanos(ClockType.HOST)));
            ts.add(self[0]);
        }
        long[] deadlines = new long[500];
        for (int i = 0; i < 500; i++) {
            deadlines[i] = 1 + r.nextInt(10_000);
            ts.get(i).modNanos(deadlines[i]);
        }
        for (int i = 0; i < 100; i++) { // cancel some, re-arm some
            ts.get(i).cancel();
            deadlines[i] = -1;
        }
        for (int i = 100; i < 150; i++) {
            deadlines[i] = 1 + r.nextInt(10_000);
            ts.get(i).modNanos(deadlines[i]);
        }
        List<Long> expected = new ArrayList<>();
        for (long d : deadlines) {
            if (d >= 0) {
                expected.add(d);
            }
        }
        java.util.Collections.sort(expected);
        // step the clock one ns at a time over the interesting range, recording what fires when
        List<Long> firedDeadlines = new ArrayList<>();
        for (long now = 1; now <= 10_000; now++) {
            clock.set(ClockType.HOST, now);
            int before = fired.size();
            group.run(runner);
            for (int k = before; k < fired.size(); k++) {
                firedDeadlines.add(now);
            }
        }
        assertEquals(expected, firedDeadlines);
    }

    @Test
    void callbackMayRearmAndRunsAgainOnlyInALaterPass() { // the second shot is not early
        AtomicInteger n = new AtomicInteger();
        TimerImpl[] self = new TimerImpl[1];
        self[0] = group.list(ClockType.REALTIME).newTimer("rearm", () -> {
            n.incrementAndGet();
            self[0].modNanos(clock.nanos(ClockType.REALTIME) + 1);
        });
        self[0].modNanos(10);
        assertFalse(group.run(runner), "not due yet");
        clock.advance(10);
        assertTrue(group.run(runner));
        assertEquals(1, n.get(), "the second shot is not early");
        assertFalse(group.run(runner));
        clock.advance(1);
        assertTrue(group.run(runner));
        assertEquals(2, n.get());
    }

    @Test
    void kicksOnlyWhenTheDeadlineBecomesTheHead() {
        TimerList l = group.list(ClockType.REALTIME);
        TimerImpl a = l.newTimer("a", () -> { });
        TimerImpl b = l.newTimer("b", () -> { });
        a.modNanos(100);
        assertEquals(1, kicks.get(), "first timer is the head");
        b.modNanos(200);
        assertEquals(1, kicks.get(), "a later deadline does not kick");
        b.modNanos(50);
        assertEquals(2, kicks.get(), "an earlier deadline becomes the head and kicks");
        b.cancel();
        assertEquals(2, kicks.get(), "timer_del does not kick");
    }

    @Test
    void virtualClockStopsAndResumes() {
        AtomicInteger n = new AtomicInteger();
        TimerImpl t = group.list(ClockType.VIRTUAL).newTimer("v", n::incrementAndGet);
        t.modIn(100, TimeUnit.NANOSECONDS);
        clock.stopVirtual();
        clock.advance(1000);
        assertEquals(-1, group.deadlineNs(), "a stopped clock has no deadline");
        assertFalse(group.run(runner), "no firing while the machine is paused");
        assertEquals(0, clock.nanos(ClockType.VIRTUAL));
        clock.resumeVirtual();
        assertEquals(100, group.deadlineNs(), "resumes from where it stopped");
        clock.advance(100);
        assertTrue(group.run(runner));
        assertEquals(1, n.get());
    }

    @Test
    void badDeadlinesAndOverflow() {
        TimerImpl t = group.list(ClockType.REALTIME).newTimer("bad", () -> { });
        assertThrows(IllegalArgumentException.class, () -> t.modNanos(-1));
        assertThrows(IllegalArgumentException.class, () -> t.modIn(-5, TimeUnit.SECONDS));
        assertFalse(t.isPending(), "a rejected arm leaves the timer as it was");
        clock.advance(10);
        t.modIn(Long.MAX_VALUE, TimeUnit.DAYS);
        assertEquals(Long.MAX_VALUE, t.expireTimeNanos(), "saturates instead of overflowing");
        assertTrue(group.deadlineNs() > 0);
        t.close();
        assertFalse(t.isPending());
        assertThrows(ContextClosedException.class, () -> t.modNanos(1));
        t.close(); // idempotent
    }

    @Test
    void noAllocationPerArm() {
        TimerList l = group.list(ClockType.REALTIME);
        TimerImpl[] ts = new TimerImpl[64];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = l.newTimer("n" + i, () -> { });
        }
        Allocation.assertNoAllocation("arming timers", 2_000, () -> {
            for (int i = 0; i < ts.length; i++) {
                ts[i].modNanos(1_000 + (i * 7919L) % 1000);
            }
            for (int i = 0; i < ts.length; i += 2) {
                ts[i].cancel();
            }
        });
    }

    @Test
    void msConversionRoundsUp() {
        assertEquals(-1, Timeouts.nsToMs(-1));
        assertEquals(0, Timeouts.nsToMs(0));
        assertEquals(1, Timeouts.nsToMs(1));
        assertEquals(1, Timeouts.nsToMs(1_000_000));
        assertEquals(2, Timeouts.nsToMs(1_000_001));
        assertEquals(Integer.MAX_VALUE, Timeouts.nsToMs(Long.MAX_VALUE));
        assertEquals(5, Timeouts.soonest(-1, 5));
        assertEquals(5, Timeouts.soonest(5, -1));
        assertEquals(-1, Timeouts.soonest(-1, -1));
        assertEquals(0, Timeouts.soonest(0, 7));
    }
}
