package org.aioloop.core.aio;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.aioloop.api.BottomHalf;
import org.aioloop.api.ClockType;
import org.aioloop.api.PollParams;
import org.aioloop.api.Timer;
import org.aioloop.core.Allocation;
import org.aioloop.core.AioContexts;
import org.aioloop.core.ManualClockSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Steady state allocates nothing per iteration, idle and busy, on both backends (ThreadMXBean). */
class SteadyStateAllocationTest {
    private static final int ITERATIONS = 5_000;

    @ParameterizedTest
    @MethodSource("org.aioloop.core.aio.Contexts#backends")
    void idlePassesAllocateNothing(String backend) {
        try (AioContextImpl ctx = Contexts.open(backend); TestPipe p = new TestPipe()) {
            ctx.setFdHandler(p.rfd, (fd, ev) -> p.drain(), null);
            Allocation.assertNoAllocation("idle poll(false) on " + backend, ITERATIONS, () -> ctx.poll(false));
            ctx.removeFdHandler(p.rfd);
        }
    }

    @ParameterizedTest
    @MethodSource("org.aioloop.core.aio.Contexts#backends")
    void busyPassesAllocateNothing(String backend) {
        ManualClockSource clock = new ManualClockSource();
        try (AioContextImpl ctx = Contexts.open(backend, clock); TestPipe p = new TestPipe()) {
            AtomicLong work = new AtomicLong();
            ctx.setFdHandler(p.rfd, (fd, ev) -> work.addAndGet(p.drain()), null);
            BottomHalf bh = ctx.newBottomHalf("busy", work::incrementAndGet);
            Timer[] timer = new Timer[1];
            timer[0] = ctx.newTimer(ClockType.REALTIME, "tick", work::incrementAndGet);
            Runnable pass = () -> {
                p.write(8);              // an fd becomes ready
                bh.schedule();           // a BH is scheduled
                timer[0].modNanos(clock.nanos(ClockType.REALTIME) + 1);
                clock.advance(1);        // and a timer expires
                ctx.kick();
                if (!ctx.poll(true)) {   // blocking, but there is work: returns at once
                    throw new AssertionError("no progress");
                }
            };
            Allocation.assertNoAllocation("busy poll(true) on " + backend, ITERATIONS, pass);
            assertTrue(work.get() >= 3L * ITERATIONS);
            ctx.removeFdHandler(p.rfd);
        }
    }

    @ParameterizedTest
    @MethodSource("org.aioloop.core.aio.Contexts#backends")
    void busyPollingPassesAllocateNothing(String backend) {
        try (AioContextImpl ctx = AioContexts.builder().backend(backend).epollUpgradeThreshold(0)
                .pollParams(new PollParams(50_000, 0, 0)).build(); TestPipe p = new TestPipe()) {
            AtomicLong ready = new AtomicLong();
            // every handler can poll, so busy polling is on
            ctx.setFdHandler(p.rfd, (fd, ev) -> p.drain(), null, () -> ready.get() > 0, (fd, ev) -> {
                ready.decrementAndGet();
                p.drain();
            });
            Runnable pass = () -> {
                ready.incrementAndGet();
                p.write(1);
                ctx.poll(true);
            };
            Allocation.assertNoAllocation("busy polling on " + backend, ITERATIONS, pass);
            ctx.removeFdHandler(p.rfd);
        }
    }

    @ParameterizedTest
    @MethodSource("org.aioloop.core.aio.Contexts#backends")
    void sourceModeAllocatesNothing(String backend) {
        try (AioContextImpl ctx = Contexts.open(backend); TestPipe p = new TestPipe()) {
            ctx.setFdHandler(p.rfd, (fd, ev) -> p.drain(), null);
            BottomHalf bh = ctx.newBottomHalf("b", () -> { });
            Allocation.assertNoAllocation("prepare/check/dispatch on " + backend, ITERATIONS, () -> {
                p.write(1);
                bh.schedule();
                ctx.sourcePrepare();
                if (ctx.sourceCheck()) {
                    ctx.sourceDispatch();
                }
            });
            ctx.removeFdHandler(p.rfd);
        }
    }

    static {
        // keep TimeUnit loaded outside the measurement
        TimeUnit.SECONDS.toNanos(1);
    }
}
