package org.aioloop.bench.jmh;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;

import org.aioloop.api.AioContext;
import org.aioloop.api.BottomHalf;
import org.aioloop.api.ClockType;
import org.aioloop.api.Timer;
import org.aioloop.core.AioContexts;
import org.aioloop.posix.NativeBuffer;
import org.aioloop.posix.Posix;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keeps the steady state allocation-free: after warm-up, loop passes on each hot path (idle, a
 * bottom half, a timer, a ready fd) allocate less than one byte per pass on average, measured with
 * the thread's allocation counter (the same figure as JMH's {@code gc.alloc.rate.norm}). Any
 * per-pass object, even 16 bytes, fails it.
 */
class SteadyStateAllocationTest {
    private static final int WARMUP = 30_000;
    private static final int PASSES = 20_000;

    private long dispatched;

    @ParameterizedTest
    @ValueSource(strings = {"poll", "epoll"})
    void loopPassesAllocateNothing(String backend) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int[] pipe = Posix.pipe2(Posix.O_NONBLOCK | Posix.O_CLOEXEC);
        try (NativeBuffer one = NativeBuffer.allocate(1);
                AioContext ctx = AioContexts.builder().name("alloc-" + backend).backend(backend)
                        .epollUpgradeThreshold(0).build()) {
            BottomHalf bh = ctx.newBottomHalf("alloc-bh", () -> dispatched++);
            Timer timer = ctx.newTimer(ClockType.REALTIME, "alloc-timer", () -> dispatched++);
            Posix.write(pipe[1], one.address(), 1);
            ctx.setFdHandler(pipe[0], (fd, revents) -> dispatched++, null);

            Runnable pass = () -> {
                bh.schedule();
                timer.modNanos(0);
                ctx.poll(false);
                ctx.poll(false);
            };
            for (int i = 0; i < WARMUP; i++) {
                pass.run();
            }
            long empty = allocatedDuring(mx, () -> { });
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < PASSES; i++) {
                pass.run();
            }
            long bytes = mx.getCurrentThreadAllocatedBytes() - before - empty;
            // 2 passes per round: one runs the bottom half, the timer and the fd, one only the fd.
            assertTrue(bytes < PASSES, backend + ": " + bytes + " bytes over " + (2 * PASSES) + " passes");
            assertTrue(dispatched >= 3L * (WARMUP + PASSES), "callbacks did not run: " + dispatched);
        } finally {
            Posix.close(pipe[0]);
            Posix.close(pipe[1]);
        }
    }

    private static long allocatedDuring(com.sun.management.ThreadMXBean mx, Runnable r) {
        long before = mx.getCurrentThreadAllocatedBytes();
        r.run();
        return mx.getCurrentThreadAllocatedBytes() - before;
    }
}
