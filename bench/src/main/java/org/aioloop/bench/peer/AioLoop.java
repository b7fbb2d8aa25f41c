package org.aioloop.bench.peer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.aioloop.api.AioContext;
import org.aioloop.api.BottomHalf;
import org.aioloop.api.ClockType;
import org.aioloop.api.FdCallback;
import org.aioloop.posix.Posix;

/**
 * An aioloop context on its own thread, driven IOThread-style or by the main loop. Cross-thread
 * work goes through bottom halves, fds through {@code setFdHandler}, timers through
 * {@code newTimer}: the public API every user has.
 */
final class AioLoop implements BenchLoop {
    /** Runs a context on the loop thread and stops it. */
    interface Driver {
        /**
         * @return the context scenarios register with
         */
        AioContext context();

        /** Loops until {@link #stopLoop()}; called on the loop thread. */
        void runLoop();

        /** Makes {@link #runLoop()} return; any thread. */
        void stopLoop();

        /** Releases the context (and the main loop); after the thread ended. */
        void release();
    }

    private final Driver driver;
    private final AioContext ctx;
    private final Thread thread;
    // REALTIME of the context minus System.nanoTime(): deadlines arrive on the nanoTime scale.
    private final long clockOffset;
    private volatile Throwable crashed;

    AioLoop(Driver driver, String threadName) {
        this.driver = driver;
        this.ctx = driver.context();
        this.clockOffset = ctx.clocks().nanos(ClockType.REALTIME) - System.nanoTime();
        this.thread = new Thread(() -> {
            try {
                driver.runLoop();
            } catch (Throwable t) {
                crashed = t;
            }
        }, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    AioContext context() {
        return ctx;
    }

    @Override
    public void runSync(Runnable task) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        ctx.scheduleOneshot(() -> {
            try {
                task.run();
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        try {
            done.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("loop task failed", e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("loop task did not run within 30 s"
                    + (crashed != null ? " (loop thread died: " + crashed + ")" : ""), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public Trigger newTrigger(Runnable task) {
        BottomHalf bh = ctx.newBottomHalf("bench-trigger", task);
        return bh::schedule;
    }

    @Override
    public BenchPipe openPipe() {
        return new PosixPipe();
    }

    @Override
    public AutoCloseable watchReadable(BenchPipe pipe, Runnable onReadable) {
        int fd = ((PosixPipe) pipe).readFd();
        FdCallback cb = (f, revents) -> onReadable.run();
        runSync(() -> ctx.setFdHandler(fd, cb, null));
        return () -> runSync(() -> ctx.removeFdHandler(fd));
    }

    @Override
    public AutoCloseable registerIdleFds(int count) {
        List<Integer> fds = new ArrayList<>(count);
        FdCallback never = (fd, revents) -> {
            throw new IllegalStateException("idle fd " + fd + " became ready");
        };
        AutoCloseable all = () -> {
            runSync(() -> fds.forEach(ctx::removeFdHandler));
            fds.forEach(Posix::close);
        };
        try {
            for (int i = 0; i < count; i++) {
                fds.add(Posix.eventfd(0, Posix.EFD_NONBLOCK | Posix.EFD_CLOEXEC));
            }
            runSync(() -> fds.forEach(fd -> ctx.setFdHandler(fd, never, null)));
        } catch (RuntimeException e) {
            try {
                all.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return all;
    }

    @Override
    public void scheduleAt(long deadlineNanoTime, Runnable task) {
        ctx.newTimer(ClockType.REALTIME, "bench-timer", task).modNanos(deadlineNanoTime + clockOffset);
    }

    @Override
    public EchoServer startEchoServer() {
        return new AioEchoServer(this);
    }

    @Override
    public CompletableFuture<String> switchBackend(String backend) {
        return ctx.switchBackend(backend);
    }

    @Override
    public String backendName() {
        return ctx.backendName();
    }

    @Override
    public long longestSwitchStallNanos() {
        return ctx.stats().maxSwitchStallNanos();
    }

    @Override
    public int registeredFdCount() {
        int[] n = new int[1];
        runSync(() -> n[0] = ctx.snapshot().handlers().size());
        return n[0];
    }

    @Override
    public void close() {
        driver.stopLoop();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        driver.release();
        if (crashed != null) {
            throw new IllegalStateException("loop thread died", crashed);
        }
    }
}
