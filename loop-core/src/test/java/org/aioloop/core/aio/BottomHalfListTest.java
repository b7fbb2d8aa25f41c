package org.aioloop.core.aio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.aioloop.api.ContextClosedException;
import org.junit.jupiter.api.Test;

/** The bottom-half mechanism alone (util/async.c semantics), without fds. */
class BottomHalfListTest {
    private final AtomicLong notifies = new AtomicLong();
    private final BottomHalfList list = new BottomHalfList(notifies::incrementAndGet);
    private final BottomHalfList.Runner runner = bh -> bh.callback.run();

    @Test
    void scheduleRunsOnceAndCoalesces() {
        AtomicInteger n = new AtomicInteger();
        BottomHalfImpl bh = list.create("a", n::incrementAndGet);
        assertFalse(list.poll(runner), "nothing scheduled is no progress");
        bh.schedule();
        bh.schedule();
        bh.schedule();
        assertTrue(bh.isScheduled());
        assertEquals(3, notifies.get(), "every schedule notifies (aio_bh_enqueue always calls aio_notify)");
        assertTrue(list.poll(runner));
        assertEquals(1, n.get(), "three schedules before a run are one call");
        assertFalse(bh.isScheduled());
        assertFalse(list.poll(runner));
        assertEquals(1, n.get());
    }

    @Test
    void selfReschedulingRunsOncePerPass() { // QEMU /aio/bh/schedule10
        AtomicInteger n = new AtomicInteger();
        BottomHalfImpl[] self = new BottomHalfImpl[1];
        self[0] = list.create("self", () -> {
            if (n.incrementAndGet() < 10) {
                self[0].schedule();
            }
        });
        self[0].schedule();
        for (int pass = 1; pass <= 10; pass++) {
            assertEquals(0, list.computeTimeout(), "a scheduled BH makes the wait non-blocking");
            assertTrue(list.poll(runner));
            assertEquals(pass, n.get(), "one run per pass");
        }
        assertFalse(list.poll(runner));
        assertEquals(-1, list.computeTimeout());
    }

    @Test
    void cancelAndDelete() { // QEMU /aio/bh/cancel, /aio/bh/delete
        AtomicInteger n = new AtomicInteger();
        BottomHalfImpl bh = list.create("c", n::incrementAndGet);
        bh.schedule();
        bh.cancel();
        assertFalse(bh.isScheduled());
        assertFalse(list.poll(runner), "a cancelled BH is dequeued without a call, no progress");
        assertEquals(0, n.get());
        bh.schedule();
        bh.delete();
        assertTrue(bh.isDeleted());
        assertFalse(list.poll(runner), "a deleted BH is dropped even though it was scheduled");
        assertEquals(0, n.get());
        assertThrows(ContextClosedException.class, bh::schedule);
        bh.delete(); // idempotent
        assertEquals(0, list.liveCount());
    }

    @Test
    void deleteFromOwnCallback() { // QEMU /aio/bh/callback-delete
        AtomicInteger n = new AtomicInteger();
        BottomHalfImpl[] self = new BottomHalfImpl[1];
        self[0] = list.create("d", () -> {
            n.incrementAndGet();
            self[0].delete();
        });
        self[0].schedule();
        assertTrue(list.poll(runner));
        assertEquals(1, n.get());
        assertTrue(self[0].isDeleted());
        assertFalse(list.poll(runner), "the delete's enqueue is dropped next pass, without a call");
        assertEquals(1, n.get());
    }

    @Test
    void idleTimeoutAndProgress() {
        AtomicInteger n = new AtomicInteger();
        BottomHalfImpl idle = list.create("idle", n::incrementAndGet);
        idle.scheduleIdle();
        assertEquals(BottomHalfList.IDLE_TIMEOUT_NS, list.computeTimeout(), "only idle: wait at most 10 ms");
        assertTrue(list.anyScheduled());
        BottomHalfImpl busy = list.create("busy", () -> { });
        busy.schedule();
        assertEquals(0, list.computeTimeout());
        busy.cancel();
        assertEquals(BottomHalfList.IDLE_TIMEOUT_NS, list.computeTimeout());
        assertFalse(list.poll(runner), "an idle BH's run is not progress");
        assertEquals(1, n.get());
        assertEquals(-1, list.computeTimeout());
    }

    @Test
    void oneshotRunsOnce() {
        AtomicInteger n = new AtomicInteger();
        list.scheduleOneshot("o", n::incrementAndGet);
        assertEquals(0, list.liveCount(), "one-shots are not kept");
        assertTrue(list.poll(runner));
        assertFalse(list.poll(runner));
        assertEquals(1, n.get());
    }

    @Test
    void nestedPollRunsTheOuterSliceRemainder() {
        List<String> order = new ArrayList<>();
        BottomHalfImpl[] bhs = new BottomHalfImpl[3];
        AtomicInteger nestedProgress = new AtomicInteger(-1);
        bhs[0] = list.create("a", () -> order.add("a"));
        bhs[1] = list.create("b", () -> order.add("b"));
        bhs[2] = list.create("nester", () -> {
            order.add("nester");
            nestedProgress.set(list.poll(runner) ? 1 : 0);
        });
        // LIFO within a slice: the last scheduled runs first, so the nester runs before a and b.
        bhs[0].schedule();
        bhs[1].schedule();
        bhs[2].schedule();
        assertTrue(list.poll(runner));
        assertEquals(List.of("nester", "b", "a"), order, "the nested pass ran what the outer had not reached");
        assertEquals(1, nestedProgress.get());
        assertFalse(list.poll(runner), "nothing ran twice");
    }

    @Test
    void fourThreadsScheduleNoneLostNoneTwice() throws Exception {
        // Each producer thread owns 256 BHs and schedules each exactly once per round after the
        // previous run of that BH was observed, so the expected count is exact: none lost (every
        // schedule is eventually run) and none run twice (a run per schedule, never more).
        final int threads = 4;
        final int perThread = 256;
        final int rounds = 400; // 4 * 256 * 400 = 409,600 runs per repetition
        final int repetitions = 3;
        for (int rep = 0; rep < repetitions; rep++) {
            AtomicIntegerArray runs = new AtomicIntegerArray(threads * perThread);
            BottomHalfImpl[] bhs = new BottomHalfImpl[threads * perThread];
            for (int i = 0; i < bhs.length; i++) {
                final int id = i;
                bhs[i] = list.create("s" + i, () -> runs.incrementAndGet(id));
            }
            CountDownLatch done = new CountDownLatch(threads);
            AtomicLong scheduled = new AtomicLong();
            List<Thread> producers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                final int base = t * perThread;
                Thread p = new Thread(() -> {
                    for (int r = 0; r < rounds; r++) {
                        for (int i = 0; i < perThread; i++) {
                            // wait until the previous schedule of this BH has run
                            while (runs.get(base + i) < r) {
                                Thread.onSpinWait();
                            }
                            bhs[base + i].schedule();
                            scheduled.incrementAndGet();
                        }
                    }
                    done.countDown();
                }, "bh-producer-" + t);
                producers.add(p);
                p.start();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            long expected = (long) threads * perThread * rounds;
            long total = 0;
            while (total < expected) {
                list.poll(runner);
                total = 0;
                for (int i = 0; i < runs.length(); i++) {
                    total += runs.get(i);
                }
                assertTrue(System.nanoTime() < deadline, "stress run took too long: " + total + "/" + expected);
            }
            assertTrue(done.await(10, TimeUnit.SECONDS));
            list.poll(runner);
            for (int i = 0; i < runs.length(); i++) {
                assertEquals(rounds, runs.get(i), "BH " + i + " ran a wrong number of times");
            }
            assertEquals(expected, scheduled.get());
            for (BottomHalfImpl bh : bhs) {
                bh.delete();
            }
            list.poll(runner);
        }
    }

    @Test
    void manyThreadsCoalescingStress() throws Exception {
        // Millions of schedules of a few BHs from 4 threads: a run never happens without a
        // schedule before it, and after the producers stop every BH has run after its last schedule.
        final int threads = 4;
        final int perThread = 500_000;
        BottomHalfImpl[] bhs = new BottomHalfImpl[8];
        AtomicLong[] lastRun = new AtomicLong[bhs.length];
        AtomicLong[] lastSched = new AtomicLong[bhs.length];
        AtomicLong runsTotal = new AtomicLong();
        for (int i = 0; i < bhs.length; i++) {
            final int id = i;
            lastRun[i] = new AtomicLong(-1);
            lastSched[i] = new AtomicLong(-1);
            bhs[i] = list.create("c" + i, () -> {
                lastRun[id].set(lastSched[id].get());
                runsTotal.incrementAndGet();
            });
        }
        CountDownLatch done = new CountDownLatch(threads);
        AtomicLong seq = new AtomicLong();
        for (int t = 0; t < threads; t++) {
            final int tt = t;
            new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    int id = (i + tt) % bhs.length;
                    lastSched[id].accumulateAndGet(seq.incrementAndGet(), Math::max);
                    bhs[id].schedule();
                }
                done.countDown();
            }, "bh-coalesce-" + t).start();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (done.getCount() > 0) {
            list.poll(runner);
            assertTrue(System.nanoTime() < deadline, "producers did not finish in time");
        }
        list.poll(runner);
        for (int i = 0; i < bhs.length; i++) {
            assertEquals(lastSched[i].get(), lastRun[i].get(), "BH " + i + " missed its last schedule");
        }
        assertFalse(list.poll(runner), "nothing left after the producers stopped");
        assertTrue(runsTotal.get() <= (long) threads * perThread);
    }
}
