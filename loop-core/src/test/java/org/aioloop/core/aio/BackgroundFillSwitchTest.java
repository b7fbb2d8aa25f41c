package org.aioloop.core.aio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.aioloop.api.backend.FdMonitor;
import org.aioloop.core.AioContexts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A backend switch with thousands of fds fills the new monitor on another thread: the loop keeps
 * serving a ping-pong meanwhile, and registrations added, changed and removed during the fill (from
 * another thread and from the home thread) are all right on the new monitor.
 */
class BackgroundFillSwitchTest {
    private static final int PIPES = 4000; // 8 000 fds of the 20 000 allowed
    private static final int SLICE = 50;
    private static final long WAIT_S = 20;

    private AioContextImpl ctx;
    private final List<TestPipe> base = new ArrayList<>();
    private final List<TestPipe> extras = new ArrayList<>();
    private TestPipe ping;
    /** Calls of the first read handler of base pipe i. */
    private final AtomicIntegerArray firstHits = new AtomicIntegerArray(PIPES);
    /** Calls of the handler that replaced it during a switch. */
    private final AtomicIntegerArray secondHits = new AtomicIntegerArray(PIPES);
    private final AtomicIntegerArray extraHits = new AtomicIntegerArray(4 * SLICE);
    private final AtomicIntegerArray writeHits = new AtomicIntegerArray(PIPES);
    /** One permit per handler call (read or write) of the pipes above. */
    private final Semaphore calls = new Semaphore(0);
    private final Semaphore pongs = new Semaphore(0);

    // loop thread
    private Thread loop;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean measuring;
    private final AtomicLong maxPassNs = new AtomicLong();

    @BeforeEach
    void setUp() throws Exception {
        ctx = AioContexts.builder().name("bulk").backend("poll").epollUpgradeThreshold(0).build();
        for (int i = 0; i < PIPES; i++) {
            TestPipe p = new TestPipe();
            base.add(p);
            ctx.setFdHandler(p.rfd, firstHandler(i, p), null);
        }
        for (int i = 0; i < 4 * SLICE; i++) {
            extras.add(new TestPipe());
        }
        ping = new TestPipe();
        ctx.setFdHandler(ping.rfd, (fd, ev) -> {
            if (ping.drain() > 0) {
                pongs.release();
            }
        }, null);
        CountDownLatch adopted = new CountDownLatch(1);
        loop = new Thread(() -> {
            try {
                ctx.poll(false); // adopt this thread as home
                adopted.countDown();
                while (!stop.get()) {
                    boolean m = measuring; // at the start or the end: the switch completes inside a pass
                    long t0 = System.nanoTime();
                    ctx.poll(true);
                    long dt = System.nanoTime() - t0;
                    if (m || measuring) {
                        maxPassNs.accumulateAndGet(dt, Math::max);
                    }
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        }, "bulk-loop");
        loop.start();
        assertTrue(adopted.await(WAIT_S, TimeUnit.SECONDS));
    }

    @AfterEach
    void tearDown() throws Exception {
        stop.set(true);
        ctx.kick();
        loop.join(TimeUnit.SECONDS.toMillis(WAIT_S));
        ctx.close();
        base.forEach(TestPipe::close);
        extras.forEach(TestPipe::close);
        ping.close();
        assertNull(failure.get());
    }

    private org.aioloop.api.FdCallback firstHandler(int i, TestPipe p) {
        return (fd, ev) -> {
            if (p.drain() > 0) {
                firstHits.incrementAndGet(i);
                calls.release();
            }
        };
    }

    /** Runs {@code r} on the loop thread and waits for it. */
    private <T> T onLoop(java.util.function.Supplier<T> r) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        ctx.scheduleOneshot(() -> {
            try {
                f.complete(r.get());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f.get(WAIT_S, TimeUnit.SECONDS);
    }

    /** Pings the loop from another thread until stopped; counts what was lost. */
    private final class PingPong extends Thread {
        final AtomicBoolean done = new AtomicBoolean();
        final long limit;
        long sent;
        long received;
        long maxRoundTripNs;

        PingPong() {
            this(Long.MAX_VALUE);
        }

        /** Stops by itself after {@code limit} round trips. */
        PingPong(long limit) {
            super("bulk-pinger");
            this.limit = limit;
        }

        @Override
        public void run() {
            try {
                while (!done.get() && sent < limit) {
                    long t0 = System.nanoTime();
                    assertEquals(1, ping.write(1));
                    sent++;
                    if (!pongs.tryAcquire(WAIT_S, TimeUnit.SECONDS)) {
                        return; // lost: sent != received tells
                    }
                    received++;
                    maxRoundTripNs = Math.max(maxRoundTripNs, System.nanoTime() - t0);
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        }
    }

    @Test
    void registrationsChangedDuringTheFillAreRightAfterBothWays() throws Exception {
        switchWithChanges("epoll", 0);
        switchWithChanges("poll", 1);
        // Both fills ran on the one shared worker (no thread started by the loop per switch), and
        // at nice 19 so that its kernel work yields the core to the loop.
        assertEquals(java.util.List.of(SwitchWorker.THREAD_NAME + " nice 19", SwitchWorker.THREAD_NAME + " nice 19"),
                fillThreads);
    }

    private final java.util.List<String> fillThreads = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Switches to {@code to} while the pinger runs; while the filling thread is held, changes one
     * set of registrations from this thread and another from the home thread, then checks the new
     * monitor by traffic.
     */
    private void switchWithChanges(String to, int round) throws Exception {
        int off = round * 8 * SLICE; // each round changes other pipes
        CountDownLatch fillStarted = new CountDownLatch(1);
        CountDownLatch changesMade = new CountDownLatch(1);
        ctx.switcher().fillStartedHook = () -> {
            fillThreads.add(Thread.currentThread().getName()
                    + " nice " + org.aioloop.posix.ThreadNice.currentThread());
            fillStarted.countDown();
            try {
                changesMade.await(WAIT_S, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        PingPong pinger = new PingPong();
        pinger.start();
        CompletableFuture<String> done = ctx.switchBackend(to);
        assertTrue(fillStarted.await(WAIT_S, TimeUnit.SECONDS), "the fill ran on another thread");
        assertFalse(done.isDone());

        // From this (foreign) thread: remove, replace, add, change the interest.
        changeSlice(off, round, 0);
        // From the home thread, directly applied to the old monitor (the scheduling of this bottom
        // half also proves the foreign changes were synced: syncMonitor runs before bottom halves).
        onLoop(() -> {
            changeSlice(off + 4 * SLICE, round, 1);
            return null;
        });
        assertFalse(done.isDone(), "the switch waits for the fill");
        changesMade.countDown();
        assertEquals(to, done.get(WAIT_S, TimeUnit.SECONDS));
        pinger.done.set(true);
        pinger.join(TimeUnit.SECONDS.toMillis(2 * WAIT_S));
        assertEquals(pinger.sent, pinger.received, "no ping lost across the switch");
        ctx.switcher().fillStartedHook = null;

        verifyAfter(to, off, round);
    }

    /**
     * In base pipes [from, from + 4*SLICE): removes the first slice, replaces the read handler of the
     * second, registers the write end of the third (new interest OUT), and adds extra pipes.
     */
    private void changeSlice(int from, int round, int half) {
        for (int i = from; i < from + SLICE; i++) {
            ctx.removeFdHandler(base.get(i).rfd);
        }
        for (int i = from + SLICE; i < from + 2 * SLICE; i++) {
            int k = i;
            TestPipe p = base.get(i);
            ctx.setFdHandler(p.rfd, (fd, ev) -> {
                if (p.drain() > 0) {
                    secondHits.incrementAndGet(k);
                    calls.release();
                }
            }, null);
        }
        for (int i = from + 2 * SLICE; i < from + 3 * SLICE; i++) {
            int k = i;
            TestPipe p = base.get(i);
            // the pipe is empty, so its write end is writable: one call, then unregister itself
            ctx.setFdHandler(p.wfd, null, (fd, ev) -> {
                writeHits.incrementAndGet(k);
                ctx.removeFdHandler(fd);
                calls.release();
            });
        }
        // the fourth slice of base pipes stays; extras: SLICE per (round, half)
        int e0 = (round * 2 + half) * SLICE;
        for (int j = e0; j < e0 + SLICE; j++) {
            int k = j;
            TestPipe p = extras.get(j);
            ctx.setFdHandler(p.rfd, (fd, ev) -> {
                if (p.drain() > 0) {
                    extraHits.incrementAndGet(k);
                    calls.release();
                }
            }, null);
        }
    }

    private void verifyAfter(String to, int off, int round) throws Exception {
        // The write handlers registered during the switch fire by themselves on the new monitor.
        assertTrue(calls.tryAcquire(2 * SLICE, WAIT_S, TimeUnit.SECONDS), "write interest reached the new monitor");
        for (int half = 0; half < 2; half++) {
            int from = off + half * 4 * SLICE;
            for (int i = from + 2 * SLICE; i < from + 3 * SLICE; i++) {
                assertEquals(1, writeHits.get(i), "write handler of pipe " + i);
            }
        }
        boolean[] removed = new boolean[PIPES];
        for (int half = 0; half < 2; half++) {
            for (int i = off + half * 4 * SLICE; i < off + half * 4 * SLICE + SLICE; i++) {
                removed[i] = true;
            }
        }
        // All removed slices so far (earlier rounds too) must be absent from the new monitor.
        int removedSoFar = 0;
        boolean[] everRemoved = new boolean[PIPES];
        for (int r = 0; r <= round; r++) {
            for (int half = 0; half < 2; half++) {
                int from = r * 8 * SLICE + half * 4 * SLICE;
                for (int i = from; i < from + SLICE; i++) {
                    everRemoved[i] = true;
                    removedSoFar++;
                }
            }
        }
        int extrasSoFar = (round + 1) * 2 * SLICE;
        int expectedSize = PIPES - removedSoFar + extrasSoFar + 2; // + ping + the context's notifier
        onLoop(() -> {
            FdMonitor m = ctx.handlers().monitor();
            assertEquals(to, m.backendName());
            for (int i = 0; i < PIPES; i++) {
                assertEquals(!everRemoved[i], m.contains(base.get(i).rfd), "read end of pipe " + i);
                assertFalse(m.contains(base.get(i).wfd), "write end of pipe " + i + " unregistered itself");
            }
            for (int j = 0; j < extrasSoFar; j++) {
                assertTrue(m.contains(extras.get(j).rfd), "extra pipe " + j);
            }
            assertEquals(expectedSize, m.size());
            assertEquals(expectedSize, ctx.handlers().monitoredCount());
            return null;
        });

        // Traffic: one byte into every pipe, removed ones included.
        int[] firstBefore = new int[PIPES];
        for (int i = 0; i < PIPES; i++) {
            firstBefore[i] = firstHits.get(i);
        }
        int before1 = sum(firstHits);
        int before2 = sum(secondHits);
        int beforeX = sum(extraHits);
        for (TestPipe p : base) {
            assertEquals(1, p.write(1));
        }
        for (int j = 0; j < extrasSoFar; j++) {
            assertEquals(1, extras.get(j).write(1));
        }
        int expectedCalls = PIPES - removedSoFar + extrasSoFar;
        assertTrue(calls.tryAcquire(expectedCalls, WAIT_S, TimeUnit.SECONDS), "every live pipe was read");
        onLoop(() -> null); // a few more passes: a removed fd still monitored would fire now
        onLoop(() -> null);
        assertEquals(0, calls.availablePermits(), "no handler beyond the live ones ran");
        assertEquals(PIPES - removedSoFar + extrasSoFar,
                sum(firstHits) - before1 + sum(secondHits) - before2 + sum(extraHits) - beforeX);
        for (int r = 0; r <= round; r++) {
            for (int half = 0; half < 2; half++) {
                int from = r * 8 * SLICE + half * 4 * SLICE + SLICE;
                for (int i = from; i < from + SLICE; i++) {
                    assertEquals(firstBefore[i], firstHits.get(i), "replaced handler of pipe " + i + " never ran again");
                    assertTrue(secondHits.get(i) >= 1, "its replacement ran for pipe " + i);
                }
            }
        }
        for (int i = 0; i < PIPES; i++) {
            if (removed[i]) {
                assertEquals(1, base.get(i).drain(), "removed pipe " + i + " was not read");
            }
        }
        for (int i = 0; i < PIPES; i++) {
            if (everRemoved[i] && !removed[i]) {
                base.get(i).drain(); // removed in an earlier round
            }
        }
    }

    private static int sum(AtomicIntegerArray a) {
        int s = 0;
        for (int i = 0; i < a.length(); i++) {
            s += a.get(i);
        }
        return s;
    }

    /**
     * Times the loop's passes while switching poll→epoll→poll with 8 000 fds, first with the
     * synchronous replay (the threshold raised above the table), then with the background fill.
     * Prints the longest pass and the longest ping round trip; asserts only that nothing was lost.
     */
    @Test
    void longestPassDuringSwitchSynchronousVersusBackground() throws Exception {
        long[] idle = timeNoSwitch();
        long[] sync = timeSwitches(Integer.MAX_VALUE);
        long[] background = timeSwitches(MonitorSwitcher.BACKGROUND_FILL_MIN_FDS);
        System.out.printf("S6 switch with %d monitored fds, longest pass / ping round trip: no switch (2 x 2000 pings)"
                + " %.2f ms / %.2f ms; during 6 switches: synchronous replay %.2f ms / %.2f ms,"
                + " background fill %.2f ms / %.2f ms%n", PIPES + 2, idle[0] / 1e6, idle[1] / 1e6,
                sync[0] / 1e6, sync[1] / 1e6, background[0] / 1e6, background[1] / 1e6);
    }

    /** The same measurement without a switch, on each backend: what the loop's passes cost anyway. */
    private long[] timeNoSwitch() throws Exception {
        long maxPass = 0;
        long maxRtt = 0;
        for (String b : new String[] {"epoll", "poll"}) {
            assertEquals(b, ctx.switchBackend(b).get(WAIT_S, TimeUnit.SECONDS));
            PingPong pinger = new PingPong(2000);
            maxPassNs.set(0);
            measuring = true;
            pinger.start();
            pinger.join(TimeUnit.SECONDS.toMillis(2 * WAIT_S));
            measuring = false;
            assertEquals(2000, pinger.received, "no ping lost");
            maxPass = Math.max(maxPass, maxPassNs.get());
            maxRtt = Math.max(maxRtt, pinger.maxRoundTripNs);
        }
        return new long[] {maxPass, maxRtt};
    }

    private long[] timeSwitches(int threshold) throws Exception {
        ctx.switcher().backgroundFillMinFds = threshold;
        long maxPass = 0;
        long maxRtt = 0;
        for (int i = 0; i < 6; i++) {
            String to = ctx.backendName().equals("poll") ? "epoll" : "poll";
            PingPong pinger = new PingPong();
            pinger.start();
            maxPassNs.set(0);
            measuring = true;
            assertEquals(to, ctx.switchBackend(to).get(WAIT_S, TimeUnit.SECONDS));
            measuring = false;
            pinger.done.set(true);
            pinger.join(TimeUnit.SECONDS.toMillis(2 * WAIT_S));
            assertEquals(pinger.sent, pinger.received, "no ping lost");
            assertTrue(pinger.sent > 0);
            System.out.printf("  switch to %s (%s): longest pass %.2f ms, ping round trip %.2f ms%n", to,
                    threshold == Integer.MAX_VALUE ? "synchronous" : "background", maxPassNs.get() / 1e6,
                    pinger.maxRoundTripNs / 1e6);
            maxPass = Math.max(maxPass, maxPassNs.get());
            maxRtt = Math.max(maxRtt, pinger.maxRoundTripNs);
        }
        return new long[] {maxPass, maxRtt};
    }
}
