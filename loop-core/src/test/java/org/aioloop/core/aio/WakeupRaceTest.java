package org.aioloop.core.aio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.aioloop.posix.NativeBuffer;
import org.aioloop.posix.Posix;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * No lost wakeup (QEMU L1): another thread kicks or schedules while the home thread is about to
 * block in {@code poll(true)} with an infinite timeout. A lost wakeup leaves the loop asleep forever,
 * which the pinging thread detects with a bounded wait per round.
 */
class WakeupRaceTest {
    private static final int ROUNDS = 20_000;

    /** Runs the loop on its own thread until stopped; returns the failure, if any. */
    private static final class LoopThread extends Thread {
        final AioContextImpl ctx;
        volatile boolean stop;
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        volatile int observedGeneration;
        volatile int generation;

        LoopThread(AioContextImpl ctx) {
            super("wakeup-loop");
            this.ctx = ctx;
            setDaemon(true); // if a wakeup were lost the thread would sleep forever; do not block the JVM
        }

        @Override
        public void run() {
            try {
                while (!stop) {
                    observedGeneration = generation;
                    ctx.poll(true);
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("org.aioloop.core.aio.Contexts#backends")
    void kickNeverLost(String backend) throws Exception {
        try (AioContextImpl ctx = Contexts.open(backend)) {
            LoopThread loop = new LoopThread(ctx);
            loop.start();
            for (int g = 1; g <= ROUNDS; g++) {
                loop.generation = g;
                ctx.kick();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (loop.observedGeneration < g) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("lost wakeup at round " + g + " on " + backend);
                    }
                    Thread.onSpinWait();
                }
            }
            stop(ctx, loop);
            long kicks = ctx.stats().kicks();
            long writes = ctx.stats().wakeupWrites();
            assertTrue(kicks >= ROUNDS);
            assertTrue(writes <= kicks, "eventfd written at most once per kick");
            assertTrue(writes > 0, "the loop was asleep (or about to be) for some kicks: the race was exercised");
        }
    }

    @ParameterizedTest
    @MethodSource("org.aioloop.core.aio.Contexts#backends")
    void oneshotPingPong(String backend) throws Exception {
        try (AioContextImpl ctx = Contexts.open(backend)) {
            LoopThread loop = new LoopThread(ctx);
            loop.start();
            AtomicInteger acked = new AtomicInteger();
            for (int i = 1; i <= ROUNDS; i++) {
                final int round = i;
                ctx.scheduleOneshot(() -> acked.set(round));
                awaitAtLeast(acked, round, () -> "oneshot " + round + " never ran on " + backend);
            }
            assertEquals(ROUNDS, acked.get());
            stop(ctx, loop);
            assertTrue(ctx.stats().bottomHalfRuns() >= ROUNDS);
        }
    }

    @ParameterizedTest
    @MethodSource("org.aioloop.core.aio.Contexts#backends")
    void kickWhileNobodySleepsWritesNothing(String backend) {
        try (AioContextImpl ctx = Contexts.open(backend)) {
            ctx.poll(false);
            for (int i = 0; i < 1000; i++) {
                ctx.kick();
            }
            assertEquals(0, ctx.stats().wakeupWrites(), "notify_me == 0: the eventfd write is skipped");
            assertTrue(ctx.stats().kicks() >= 1000);
            assertEquals(false, ctx.poll(true), "but the next blocking poll does not sleep (notified)");
        }
    }
    /**
     * On epoll the context's eventfd is watched edge-triggered and never read (one system call per
     * wakeup saved); on poll it must be drained or every pass would wake at once.
     */
    @ParameterizedTest
    @MethodSource("org.aioloop.core.aio.Contexts#backends")
    void notifierIsDrainedOnlyWhereItIsLevelTriggered(String backend) throws Exception {
        try (AioContextImpl ctx = Contexts.open(backend)) {
            LoopThread loop = new LoopThread(ctx);
            loop.start();
            AtomicInteger ran = new AtomicInteger();
            for (int i = 1; i <= 50; i++) {
                int round = i;
                ctx.scheduleOneshot(ran::incrementAndGet);
                awaitAtLeast(ran, round, () -> "oneshot " + round + " never ran on " + backend);
            }
            assertTrue(ctx.stats().wakeupWrites() > 0, "the loop was woken through the eventfd");
            awaitQuiet(ctx);
            try (NativeBuffer counter = NativeBuffer.allocate(8)) {
                long n = Posix.read(ctx.notifierFd(), counter.address(), 8); // the test drains it now
                if (backend.equals("epoll")) {
                    assertEquals(8, n, "epoll: the eventfd still holds its writes (never read by the loop)");
                    assertTrue(counter.getLong(0) > 0);
                } else {
                    assertEquals(Posix.WOULD_BLOCK, n, "poll: the loop drained the eventfd");
                }
            }
            awaitQuiet(ctx);
            stop(ctx, loop);
        }
    }

    /** Kicks and bottom halves are never lost while the notifier moves between edge- and level-triggered. */
    @ParameterizedTest
    @MethodSource("org.aioloop.core.aio.Contexts#backends")
    void noLostWakeupAcrossBackendSwitches(String first) throws Exception {
        try (AioContextImpl ctx = Contexts.open(first)) {
            LoopThread loop = new LoopThread(ctx);
            loop.start();
            AtomicInteger acked = new AtomicInteger();
            String[] names = {"poll", "epoll"};
            int rounds = 4_000;
            for (int i = 1; i <= rounds; i++) {
                if (i % 200 == 0) {
                    String to = names[(i / 200) % 2];
                    assertEquals(to, ctx.switchBackend(to).get(5, TimeUnit.SECONDS));
                }
                final int round = i;
                ctx.scheduleOneshot(() -> acked.set(round));
                awaitAtLeast(acked, round, () -> "oneshot " + round + " never ran (backend " + ctx.backendName() + ")");
            }
            assertTrue(ctx.stats().backendSwitches() >= 19);
            stop(ctx, loop);
        }
    }

    /**
     * Waits (bounded) until the loop has run no pass for 20 ms: it sleeps in its wait. A loop that
     * an undrained level-triggered notifier kept waking would never get there.
     */
    private static void awaitQuiet(AioContextImpl ctx) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            long before = ctx.stats().iterations();
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            if (before == ctx.stats().iterations()) {
                return;
            }
        }
        throw new AssertionError("the loop never went quiet: " + ctx.stats());
    }

    /**
     * Kicks whose {@code notified} was already set skip the eventfd: under a storm of kicks from
     * three threads no bottom half scheduled from a fourth is left waiting, and the eventfd is
     * written far less often than kicked.
     */
    @ParameterizedTest
    @MethodSource("org.aioloop.core.aio.Contexts#backends")
    void kickStormLosesNoWakeup(String backend) throws Exception {
        try (AioContextImpl ctx = Contexts.open(backend)) {
            LoopThread loop = new LoopThread(ctx);
            loop.start();
            java.util.concurrent.atomic.AtomicBoolean storming = new java.util.concurrent.atomic.AtomicBoolean(true);
            Thread[] kickers = new Thread[3];
            for (int k = 0; k < kickers.length; k++) {
                kickers[k] = new Thread(() -> {
                    while (storming.get()) {
                        ctx.kick();
                    }
                }, "kicker-" + k);
                kickers[k].start();
            }
            AtomicInteger acked = new AtomicInteger();
            try {
                for (int i = 1; i <= 5_000; i++) {
                    int round = i;
                    ctx.scheduleOneshot(() -> acked.set(round));
                    awaitAtLeast(acked, round, () -> "oneshot " + round + " never ran during the kick storm on " + backend);
                }
            } finally {
                storming.set(false);
                for (Thread k : kickers) {
                    k.join(5000);
                }
            }
            stop(ctx, loop);
            long kicks = ctx.stats().kicks();
            long writes = ctx.stats().wakeupWrites();
            long waits = ctx.stats().blockingWaits();
            // At most one write per wait from each kicker that raced past the check; without the
            // shortcut it was about 50 per wait here.
            assertTrue(writes <= kickers.length * (waits + 1),
                    "eventfd writes " + writes + " for " + waits + " blocking waits (" + kicks + " kicks)");
        }
    }

    /** Waits (bounded) until {@code value} reaches {@code n}; a lost wakeup never gets there. */
    private static void awaitAtLeast(AtomicInteger value, int n, java.util.function.Supplier<String> what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (value.get() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what.get());
            }
            Thread.onSpinWait();
        }
    }

    /** Stops the loop thread and checks it did not fail. */
    private static void stop(AioContextImpl ctx, LoopThread loop) throws InterruptedException {
        loop.stop = true;
        ctx.kick();
        loop.join(5000);
        assertNull(loop.failure.get());
    }
}
