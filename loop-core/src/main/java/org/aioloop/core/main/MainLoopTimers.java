package org.aioloop.core.main;

import java.util.Arrays;
import java.util.function.BiConsumer;

import org.aioloop.api.ClockSource;
import org.aioloop.api.ClockType;
import org.aioloop.core.aio.Timeouts;

/**
 * The main loop's own timers, one list per clock (QEMU's {@code main_loop_tlg}): a binary min-heap
 * per clock ordered by (deadline, arming sequence), so equal deadlines fire in arming order. Arming
 * a timer that becomes the earliest of its clock wakes the main context. VIRTUAL timers do not
 * fire (and give no deadline) while the VIRTUAL clock is stopped.
 */
final class MainLoopTimers {
    private final ClockList[] lists;

    MainLoopTimers(ClockSource clocks, Runnable wakeup) {
        ClockType[] types = ClockType.values();
        lists = new ClockList[types.length];
        for (ClockType t : types) {
            lists[t.ordinal()] = new ClockList(t, clocks, wakeup);
        }
    }

    MainLoopTimer newTimer(ClockType clock, String name, Runnable callback) {
        ClockList l = lists[clock.ordinal()];
        if (l.isClosed()) {
            throw new org.aioloop.api.ContextClosedException("main loop timers");
        }
        return new MainLoopTimer(l, name, callback);
    }

    /** QEMU's {@code timerlistgroup_deadline_ns}: the soonest deadline in ns, -1 if none. */
    long deadlineNanos() {
        long d = -1;
        for (ClockList l : lists) {
            d = MainContextImpl.soonest(d, l.deadlineNanos());
        }
        return d;
    }

    /**
     * QEMU's {@code qemu_clock_run_all_timers}: runs the expired timers of every clock, reading each
     * clock once.
     *
     * @param onError told when a callback throws (the others still run)
     * @return whether a callback ran
     */
    boolean runAll(BiConsumer<MainLoopTimer, Throwable> onError) {
        boolean ran = false;
        for (ClockList l : lists) {
            ran |= l.run(onError);
        }
        return ran;
    }

    void closeAll() {
        for (ClockList l : lists) {
            l.closeAll();
        }
    }

    /** One clock's heap; arming and cancelling from any thread under its lock. */
    static final class ClockList {
        final ClockType clock;
        private final ClockSource clocks;
        private final Runnable wakeup;
        private final Object lock = new Object();
        private MainLoopTimer[] heap = new MainLoopTimer[8];
        private int size;
        private long nextSeq;
        private volatile boolean closed;

        ClockList(ClockType clock, ClockSource clocks, Runnable wakeup) {
            this.clock = clock;
            this.clocks = clocks;
            this.wakeup = wakeup;
        }

        long now() {
            return clocks.nanos(clock);
        }

        boolean isClosed() {
            return closed;
        }

        private boolean enabled() {
            return clock != ClockType.VIRTUAL || clocks.isVirtualRunning();
        }

        void mod(MainLoopTimer t, long expire) {
            boolean newHead;
            synchronized (lock) {
                if (t.heapIndex >= 0) {
                    removeAt(t.heapIndex);
                }
                t.expire = expire;
                t.pending = true;
                t.seq = nextSeq++;
                insert(t);
                newHead = heap[0] == t;
            }
            if (newHead) {
                wakeup.run(); // the loop may sleep past the new deadline otherwise
            }
        }

        void del(MainLoopTimer t) {
            synchronized (lock) {
                if (t.heapIndex >= 0) {
                    removeAt(t.heapIndex);
                }
                t.expire = -1;
                t.pending = false;
            }
        }

        long deadlineNanos() {
            if (!enabled()) {
                return -1;
            }
            long head;
            synchronized (lock) {
                if (size == 0) {
                    return -1;
                }
                head = heap[0].expire;
            }
            // saturating: Long.MAX_VALUE - (negative now) must not wrap into "expired" (a spinning loop)
            return Timeouts.untilDeadline(head, now());
        }

        boolean run(BiConsumer<MainLoopTimer, Throwable> onError) {
            if (!enabled()) {
                return false;
            }
            synchronized (lock) {
                if (size == 0) {
                    return false;
                }
            }
            long now = now();
            boolean ran = false;
            for (;;) {
                MainLoopTimer t;
                synchronized (lock) {
                    if (size == 0 || heap[0].expire > now) {
                        break;
                    }
                    t = heap[0];
                    removeAt(0);
                    t.expire = -1;
                    t.pending = false;
                }
                try {
                    t.callback.run();
                } catch (Throwable e) {
                    onError.accept(t, e);
                }
                ran = true;
            }
            return ran;
        }

        void closeAll() {
            closed = true;
            synchronized (lock) {
                for (int i = 0; i < size; i++) {
                    heap[i].heapIndex = -1;
                    heap[i].expire = -1;
                    heap[i].pending = false;
                    heap[i].closed = true;
                    heap[i] = null;
                }
                size = 0;
            }
        }

        private static boolean less(MainLoopTimer a, MainLoopTimer b) {
            return a.expire < b.expire || (a.expire == b.expire && a.seq < b.seq);
        }

        private void insert(MainLoopTimer t) {
            if (size == heap.length) {
                heap = Arrays.copyOf(heap, size * 2);
            }
            heap[size] = t;
            t.heapIndex = size;
            size++;
            siftUp(t.heapIndex);
        }

        private void removeAt(int i) {
            MainLoopTimer removed = heap[i];
            size--;
            MainLoopTimer last = heap[size];
            heap[size] = null;
            removed.heapIndex = -1;
            if (i < size) {
                heap[i] = last;
                last.heapIndex = i;
                siftDown(i);
                if (heap[i] == last) {
                    siftUp(i);
                }
            }
        }

        private void siftUp(int i) {
            MainLoopTimer t = heap[i];
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                MainLoopTimer p = heap[parent];
                if (!less(t, p)) {
                    break;
                }
                heap[i] = p;
                p.heapIndex = i;
                i = parent;
            }
            heap[i] = t;
            t.heapIndex = i;
        }

        private void siftDown(int i) {
            MainLoopTimer t = heap[i];
            int half = size >>> 1;
            while (i < half) {
                int child = 2 * i + 1;
                int right = child + 1;
                if (right < size && less(heap[right], heap[child])) {
                    child = right;
                }
                if (!less(heap[child], t)) {
                    break;
                }
                heap[i] = heap[child];
                heap[i].heapIndex = i;
                i = child;
            }
            heap[i] = t;
            t.heapIndex = i;
        }
    }
}
