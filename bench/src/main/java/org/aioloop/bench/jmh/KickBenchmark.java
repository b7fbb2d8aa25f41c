package org.aioloop.bench.jmh;

import java.util.concurrent.TimeUnit;

import org.aioloop.api.AioContext;
import org.aioloop.core.AioContexts;
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
 * {@code kick()} from a foreign thread while the context's own thread loops on {@code poll(true)}:
 * the cost a producer pays to wake a loop (the notify_me handshake skips the eventfd write when
 * the loop is already awake or already notified).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class KickBenchmark {
    /** The fd-monitoring backend. */
    @Param({"poll", "epoll"})
    public String backend;

    private AioContext ctx;
    private Thread loop;
    private volatile boolean running;

    /** Starts the context's own loop thread. */
    @Setup(Level.Trial)
    public void start() {
        ctx = AioContexts.builder().name("jmh-kick").backend(backend).epollUpgradeThreshold(0).build();
        running = true;
        loop = new Thread(() -> {
            while (running) {
                ctx.poll(true);
            }
        }, "jmh-kick-loop");
        loop.setDaemon(true);
        loop.start();
    }

    /**
     * Stops the loop thread and closes the context.
     *
     * @throws InterruptedException if interrupted while joining
     */
    @TearDown(Level.Trial)
    public void stop() throws InterruptedException {
        running = false;
        ctx.kick();
        loop.join(10_000);
        ctx.close();
    }

    /** One kick from this (foreign) thread. */
    @Benchmark
    public void kickFromOtherThread() {
        ctx.kick();
    }
}
