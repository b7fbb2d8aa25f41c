package org.aioloop.bench.jmh;

import java.util.concurrent.TimeUnit;

import org.aioloop.api.AioContext;
import org.aioloop.api.BottomHalf;
import org.aioloop.api.ClockType;
import org.aioloop.api.Timer;
import org.aioloop.core.AioContexts;
import org.aioloop.posix.NativeBuffer;
import org.aioloop.posix.Posix;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One aioloop pass per operation, on each hot path, on both backends. Run with {@code -prof gc}:
 * {@code gc.alloc.rate.norm} is the bytes allocated per loop iteration (the target is 0).
 *
 * <p>The context is created per iteration on the benchmark thread, which thereby becomes its home
 * thread (JMH does not promise the same worker thread across iterations).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LoopHotPathBenchmark {
    /** The fd-monitoring backend. */
    @Param({"poll", "epoll"})
    public String backend;

    private AioContext ctx;
    private BottomHalf bh;
    private Timer timer;
    private int[] pipe;
    private NativeBuffer oneByte;
    private long dispatched;

    /** Opens the context, a bottom half, a timer and an always-readable pipe (not yet watched). */
    @Setup(Level.Iteration)
    public void open() {
        ctx = AioContexts.builder().name("jmh").backend(backend).epollUpgradeThreshold(0).build();
        bh = ctx.newBottomHalf("jmh-bh", () -> dispatched++);
        timer = ctx.newTimer(ClockType.REALTIME, "jmh-timer", () -> dispatched++);
        pipe = Posix.pipe2(Posix.O_NONBLOCK | Posix.O_CLOEXEC);
        oneByte = NativeBuffer.allocate(1);
        Posix.write(pipe[1], oneByte.address(), 1);
        ctx.poll(false);
    }

    /** Closes everything {@link #open()} made. */
    @TearDown(Level.Iteration)
    public void close() {
        ctx.close();
        Posix.close(pipe[0]);
        Posix.close(pipe[1]);
        oneByte.close();
    }

    /**
     * @return progress of one pass with nothing to do
     */
    @Benchmark
    public boolean idleIteration() {
        return ctx.poll(false);
    }

    /**
     * @return progress of a pass that runs the bottom half just scheduled
     */
    @Benchmark
    public boolean bhScheduleRun() {
        bh.schedule();
        return ctx.poll(false);
    }

    /**
     * @return progress of a pass that fires the timer just armed in the past
     */
    @Benchmark
    public boolean timerArmFire() {
        timer.modNanos(0);
        return ctx.poll(false);
    }

    /**
     * @param fd the watched pipe (level-triggered, always readable)
     * @return progress of a pass that dispatches one ready fd
     */
    @Benchmark
    public boolean fdDispatch(FdState fd) {
        fd.watch(this);
        return ctx.poll(false);
    }

    /** Registers the pipe's read end once per iteration, on the benchmark thread. */
    @State(Scope.Thread)
    public static class FdState {
        private AioContext watched;

        void watch(LoopHotPathBenchmark b) {
            if (watched != b.ctx) {
                watched = b.ctx;
                b.ctx.setFdHandler(b.pipe[0], (fd, revents) -> b.dispatched++, null);
            }
        }
    }
}
