package org.aioloop.core.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.aioloop.api.ContextClosedException;
import org.aioloop.api.InvalidConfigurationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The thread pool's rules (QEMU's test-thread-pool.c where they apply), with a single-thread
 * executor standing in for a context's home thread.
 */
class ThreadPoolTest {
    private static final long WAIT_S = 10;

    private ExecutorService home;
    private volatile Thread homeThread;
    private final List<ThreadPool> pools = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        home = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-home"));
        homeThread = home.submit(Thread::currentThread).get();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (ThreadPool p : pools) {
            p.close();
        }
        home.shutdownNow();
        assertTrue(home.awaitTermination(WAIT_S, TimeUnit.SECONDS));
    }

    private ThreadPool pool(int min, int max) {
        ThreadPool p = new ThreadPool("test-pool", min, max, home);
        pools.add(p);
        return p;
    }

    @Test
    void completionsRunOnTheCompletionExecutorThread() throws Exception {
        ThreadPool pool = pool(0, 4);
        // Hold the home thread so every dependent is registered before any completion is delivered.
        CountDownLatch homeGate = new CountDownLatch(1);
        home.execute(() -> await(homeGate));
        List<CompletableFuture<Thread>> seen = new ArrayList<>();
        ConcurrentLinkedQueue<Thread> workerThreads = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < 50; i++) {
            CompletableFuture<Integer> f = pool.submit(() -> {
                workerThreads.add(Thread.currentThread());
                return 1;
            });
            seen.add(f.thenApply(v -> Thread.currentThread()));
        }
        homeGate.countDown();
        for (CompletableFuture<Thread> f : seen) {
            assertSame(homeThread, f.get(WAIT_S, TimeUnit.SECONDS));
        }
        assertEquals(50, workerThreads.size());
        for (Thread w : workerThreads) {
            assertFalse(w == homeThread, "work must not run on the home thread");
        }
        assertEquals(50, pool.stats().completed());
    }

    @Test
    void completionsRunOnARealContextsHomeThread() throws Exception {
        try (org.aioloop.core.aio.AioContextImpl ctx = org.aioloop.core.AioContexts.builder().name("pool-home").build()) {
            CountDownLatch gate = new CountDownLatch(1);
            CompletableFuture<Thread> work = ctx.submitBlocking(() -> {
                gate.await(WAIT_S, TimeUnit.SECONDS);
                return Thread.currentThread();
            });
            CompletableFuture<Thread> completion = work.thenApply(w -> Thread.currentThread());
            gate.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
            while (!completion.isDone()) {
                assertTrue(System.nanoTime() < deadline, "completion never delivered");
                ctx.poll(true); // the completion is a one-shot bottom half: it wakes this wait
            }
            assertSame(Thread.currentThread(), completion.get(), "completion ran on the home thread");
            assertFalse(work.get() == Thread.currentThread(), "the work ran on a worker");
        }
    }

    @Test
    void failureIsDeliveredAsExceptionalCompletion() throws Exception {
        ThreadPool pool = pool(0, 2);
        CompletableFuture<Object> f = pool.submit(() -> {
            throw new IOException("disk on fire");
        });
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(WAIT_S, TimeUnit.SECONDS));
        assertInstanceOf(IOException.class, e.getCause());
        assertEquals("disk on fire", e.getCause().getMessage());
    }

    @Test
    void cancelSucceedsOnlyWhileQueued() throws Exception {
        ThreadPool pool = pool(0, 1);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger queuedRuns = new AtomicInteger();
        CompletableFuture<String> active = pool.submit(() -> {
            started.countDown();
            await(release);
            return "done";
        });
        assertTrue(started.await(WAIT_S, TimeUnit.SECONDS));
        CompletableFuture<String> queued = pool.submit(() -> {
            queuedRuns.incrementAndGet();
            return "should not run";
        });
        assertEquals(1, pool.queued());
        assertEquals(1, pool.active());

        assertFalse(active.cancel(true), "active work cannot be cancelled");
        assertTrue(queued.cancel(false), "queued work can be cancelled");
        assertTrue(queued.isCancelled());
        assertFalse(queued.cancel(false), "second cancel is a no-op");
        assertEquals(0, pool.queued());

        CompletableFuture<String> after = pool.submit(() -> "after");
        release.countDown();
        assertEquals("done", active.get(WAIT_S, TimeUnit.SECONDS));
        assertEquals("after", after.get(WAIT_S, TimeUnit.SECONDS));
        assertFalse(active.isCancelled());
        assertEquals(0, queuedRuns.get(), "cancelled work must never run");
        assertThrows(CancellationException.class, queued::join);
    }

    @Test
    void manyConcurrentSubmissionsAllCompleteExactlyOnce() throws Exception {
        ThreadPool pool = pool(0, 8);
        int submitters = 4;
        int perSubmitter = 2_500;
        int total = submitters * perSubmitter;
        AtomicIntegerArray runs = new AtomicIntegerArray(total);
        @SuppressWarnings("unchecked")
        CompletableFuture<Integer>[] futures = new CompletableFuture[total];
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < submitters; s++) {
            int base = s * perSubmitter;
            Thread t = new Thread(() -> {
                await(go);
                for (int i = 0; i < perSubmitter; i++) {
                    int id = base + i;
                    futures[id] = pool.submit(() -> {
                        runs.incrementAndGet(id);
                        return id * 3;
                    });
                }
            }, "submitter-" + s);
            t.start();
            threads.add(t);
        }
        go.countDown();
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(WAIT_S));
            assertFalse(t.isAlive());
        }
        CountDownLatch all = new CountDownLatch(total);
        for (CompletableFuture<Integer> f : futures) {
            f.whenComplete((v, e) -> all.countDown());
        }
        assertTrue(all.await(30, TimeUnit.SECONDS), "all submissions complete");
        for (int i = 0; i < total; i++) {
            assertEquals(1, runs.get(i), "work " + i + " ran once");
            assertEquals(i * 3, futures[i].join());
        }
        assertTrue(pool.threads() <= 8);
        assertEquals(total, pool.stats().completed(), "every outcome went through the completion executor");
    }

    @Test
    void respectsMinAndMaxThreads() throws Exception {
        ThreadPool pool = pool(2, 3);
        assertEquals(2, pool.threads(), "min threads are started at once");

        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch threeRunning = new CountDownLatch(3);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        List<CompletableFuture<Integer>> fs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            fs.add(pool.submit(() -> {
                int now = running.incrementAndGet();
                maxRunning.accumulateAndGet(now, Math::max);
                threeRunning.countDown();
                await(release);
                running.decrementAndGet();
                return 1;
            }));
        }
        assertTrue(threeRunning.await(WAIT_S, TimeUnit.SECONDS));
        assertEquals(3, pool.threads());
        assertEquals(3, pool.active());
        assertEquals(7, pool.queued());
        release.countDown();
        for (CompletableFuture<Integer> f : fs) {
            assertEquals(1, f.get(WAIT_S, TimeUnit.SECONDS));
        }
        assertEquals(3, maxRunning.get(), "never more than max threads");
    }

    @Test
    void idleWorkersAboveMinExitAfterIdleTimeout() throws Exception {
        ConcurrentLinkedQueue<Thread> made = new ConcurrentLinkedQueue<>();
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, "idle-test-worker");
            t.setDaemon(true);
            made.add(t);
            return t;
        };
        ThreadPool pool = new ThreadPool("idle", 1, 4, home, Duration.ofMillis(30), tf);
        pools.add(pool);
        CountDownLatch fourRunning = new CountDownLatch(4);
        CountDownLatch release = new CountDownLatch(1);
        List<CompletableFuture<Integer>> fs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            fs.add(pool.submit(() -> {
                fourRunning.countDown();
                await(release);
                return 1;
            }));
        }
        assertTrue(fourRunning.await(WAIT_S, TimeUnit.SECONDS));
        assertEquals(4, pool.threads());
        release.countDown();
        for (CompletableFuture<Integer> f : fs) {
            f.get(WAIT_S, TimeUnit.SECONDS);
        }
        assertTrue(awaitAlive(made, 1), "workers above min exit once idle");
        assertEquals(1, pool.threads());

        // Dropping the minimum lets the last warm worker go too.
        pool.setLimits(0, 4);
        assertTrue(awaitAlive(made, 0), "the warm worker exits once min is 0");
        assertEquals(0, pool.threads());

        // The pool still works afterwards: a new worker is started on demand.
        assertEquals(7, pool.submit(() -> 7).get(WAIT_S, TimeUnit.SECONDS));
    }

    @Test
    void closeCancelsQueuedJoinsWorkersAndRefusesSubmissions() throws Exception {
        ConcurrentLinkedQueue<Thread> made = new ConcurrentLinkedQueue<>();
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, "close-test-worker");
            made.add(t);
            return t;
        };
        ThreadPool pool = new ThreadPool("closing", 2, 2, home, ThreadPool.DEFAULT_IDLE_TIMEOUT, tf);
        CountDownLatch started = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Integer> a = pool.submit(() -> {
            started.countDown();
            await(release);
            return 1;
        });
        CompletableFuture<Integer> b = pool.submit(() -> {
            started.countDown();
            await(release);
            return 2;
        });
        assertTrue(started.await(WAIT_S, TimeUnit.SECONDS));
        CompletableFuture<Integer> queued = pool.submit(() -> 3);

        Thread closer = new Thread(pool::close, "closer");
        closer.start();
        // close() waits for the active work; let it go once close has marked the pool closed.
        while (!pool.isClosed()) {
            Thread.onSpinWait();
        }
        assertThrows(ContextClosedException.class, () -> pool.submit(() -> 4));
        release.countDown();
        closer.join(TimeUnit.SECONDS.toMillis(WAIT_S));
        assertFalse(closer.isAlive());

        for (Thread t : made) {
            assertFalse(t.isAlive(), "worker " + t + " joined");
        }
        assertEquals(0, pool.threads());
        assertTrue(queued.isCancelled(), "queued work is cancelled by close");
        assertEquals(1, a.get(WAIT_S, TimeUnit.SECONDS), "active work still completes");
        assertEquals(2, b.get(WAIT_S, TimeUnit.SECONDS));
        pool.close(); // idempotent
        ContextClosedException e = assertThrows(ContextClosedException.class, () -> pool.submit(() -> 5));
        assertTrue(e.getMessage().contains("closing"), e.getMessage());
        assertThrows(ContextClosedException.class, () -> pool.setLimits(1, 2));
    }

    @Test
    void invalidLimitsAreRejectedAndOldLimitsStay() {
        ThreadPool pool = pool(1, 4);
        InvalidConfigurationException e1 = assertThrows(InvalidConfigurationException.class,
                () -> pool.setLimits(-1, 4));
        assertEquals(ThreadPool.KEY_MIN, e1.key());
        InvalidConfigurationException e2 = assertThrows(InvalidConfigurationException.class,
                () -> pool.setLimits(0, 0));
        assertEquals(ThreadPool.KEY_MAX, e2.key());
        InvalidConfigurationException e3 = assertThrows(InvalidConfigurationException.class,
                () -> pool.setLimits(5, 4));
        assertEquals(ThreadPool.KEY_MIN, e3.key());
        assertEquals(1, pool.minThreads());
        assertEquals(4, pool.maxThreads());
        assertThrows(InvalidConfigurationException.class, () -> new ThreadPool("bad", 3, 2, home));
        assertThrows(InvalidConfigurationException.class,
                () -> new ThreadPool("bad", 0, 1, home, Duration.ZERO, null));
        assertThrows(NullPointerException.class, () -> pool.submit(null));
    }

    @Test
    void rejectedCompletionFailsTheFutureInsteadOfHanging() throws Exception {
        ThreadPool pool = new ThreadPool("orphan", 0, 1, r -> {
            throw new RejectedExecutionException("home is gone");
        });
        pools.add(pool);
        CompletableFuture<Integer> f = pool.submit(() -> 1);
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(WAIT_S, TimeUnit.SECONDS));
        assertInstanceOf(RejectedExecutionException.class, e.getCause());
    }

    /** Waits (bounded, by joining the threads) until at most {@code alive} of them are alive. */
    private static boolean awaitAlive(ConcurrentLinkedQueue<Thread> threads, int alive) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        while (System.nanoTime() < deadline) {
            int n = 0;
            for (Thread t : threads) {
                if (t.isAlive()) {
                    n++;
                }
            }
            if (n <= alive) {
                return true;
            }
            for (Thread t : threads) {
                t.join(5);
            }
        }
        return false;
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(WAIT_S, TimeUnit.SECONDS)) {
                throw new IllegalStateException("latch timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
