package org.aioloop.core.aio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.aioloop.api.BottomHalf;
import org.aioloop.api.ClockType;
import org.aioloop.api.Timer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Bottom halves and timers through a whole context (QEMU /aio/bh/* and /aio/timer/* shapes). */
class ContextBottomHalfTimerTest {
    private static final String BACKENDS = "org.aioloop.core.aio.Contexts#backends";

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void flushAndSchedule10(String backend) {
        try (AioContextImpl ctx = Contexts.open(backend)) {
            AtomicInteger n = new AtomicInteger();
            BottomHalf[] self = new BottomHalf[1];
            self[0] = ctx.newBottomHalf("schedule10", () -> {
                if (n.incrementAndGet() < 10) {
                    self[0].schedule();
                }
            });
            self[0].schedule();
            assertTrue(ctx.poll(true));
            assertEquals(1, n.get(), "one run per poll, even blocking");
            int passes = 1;
            while (ctx.poll(false)) { // flush
                passes++;
            }
            assertEquals(10, n.get());
            assertEquals(10, passes);
            self[0].delete();
            assertFalse(ctx.poll(false));
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void nestedPollFromABottomHalfRunsTheOuterRemainder(String backend) {
        try (AioContextImpl ctx = Contexts.open(backend)) {
            List<String> order = new ArrayList<>();
            BottomHalf a = ctx.newBottomHalf("a", () -> order.add("a"));
            BottomHalf b = ctx.newBottomHalf("b", () -> order.add("b"));
            BottomHalf nester = ctx.newBottomHalf("nester", () -> {
                order.add("nester");
                ctx.poll(false);
            });
            a.schedule();
            b.schedule();
            nester.schedule(); // LIFO in a slice: the nester runs first
            assertTrue(ctx.poll(false));
            assertEquals(List.of("nester", "b", "a"), order);
            assertFalse(ctx.poll(false), "nothing ran twice");
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void timerArmedFromAnotherThreadWakesAnInfiniteWait(String backend) throws Exception {
        try (AioContextImpl ctx = Contexts.open(backend)) {
            ctx.poll(false);
            for (int round = 0; round < 50; round++) {
                CountDownLatch armed = new CountDownLatch(1);
                AtomicInteger runs = new AtomicInteger();
                Timer r = ctx.newTimer(ClockType.REALTIME, "remote" + round, runs::incrementAndGet);
                Thread arm = new Thread(() -> {
                    r.modIn(1, TimeUnit.MILLISECONDS); // becomes the head: kicks the sleeping loop
                    armed.countDown();
                });
                arm.start();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (runs.get() == 0) {
                    assertTrue(System.nanoTime() < deadline, "round " + round + ": timer never fired");
                    ctx.poll(true); // no other timer armed: would sleep forever without the kick
                }
                assertTrue(armed.await(5, TimeUnit.SECONDS));
                arm.join();
                r.close();
            }
        }
    }

    @ParameterizedTest
    @MethodSource(BACKENDS)
    void equalDeadlinesAndRearmThroughTheContext(String backend) {
        org.aioloop.core.ManualClockSource clock = new org.aioloop.core.ManualClockSource();
        try (AioContextImpl ctx = Contexts.open(backend, clock)) {
            List<String> order = new ArrayList<>();
            Timer[] ts = new Timer[3];
            for (int i = 0; i < 3; i++) {
                final String name = "t" + i;
                ts[i] = ctx.newTimer(ClockType.VIRTUAL, name, () -> order.add(name));
            }
            ts[2].modNanos(100);
            ts[0].modNanos(100);
            ts[1].modNanos(100);
            Timer[] rearm = new Timer[1];
            AtomicInteger shots = new AtomicInteger();
            rearm[0] = ctx.newTimer(ClockType.VIRTUAL, "rearm", () -> {
                if (shots.incrementAndGet() < 3) {
                    rearm[0].modIn(50, TimeUnit.NANOSECONDS);
                }
            });
            rearm[0].modNanos(50);
            clock.advance(100);
            assertTrue(ctx.poll(false));
            assertEquals(List.of("t2", "t0", "t1"), order, "equal deadlines fire in arming order");
            assertEquals(1, shots.get(), "the re-armed shot is due later, not in this pass");
            clock.advance(50);
            assertTrue(ctx.poll(false));
            clock.advance(50);
            assertTrue(ctx.poll(false));
            assertEquals(3, shots.get());
            clock.advance(1000);
            assertFalse(ctx.poll(false));
            assertEquals(6, ctx.stats().timerRuns(), "3 ordered timers + 3 shots");
        }
    }
}
