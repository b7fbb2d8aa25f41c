package org.aioloop.core.aio;

import java.util.List;
import org.aioloop.api.ClockSource;
import org.aioloop.api.ClockType;
import org.aioloop.api.ContextSnapshot;

/**
 * The armed timers of one clock of one context (QEMU's {@code QEMUTimerList}), as an array-based
 * binary min-heap ordered by (deadline, arming sequence). The sequence number makes equal deadlines
 * fire in arming order (QEMU inserts after existing equal deadlines). Arming reuses the array: no
 * allocation per arm once the heap has grown.
 *
 * <p>Any thread arms and cancels under the list's lock; callbacks run on the home thread with the
 * lock dropped, so they may re-arm (QEMU's {@code timerlist_run_timers}).
 */
public final class TimerList {
    /** Runs one timer's callback with error isolation and accounting. */
    public interface Runner {
        /** Runs {@code timer}'s callback; must not let what it throws escape. */
        void run(TimerImpl timer);
    }

    private final ClockType clock;
    private final String kind;
    private final ClockSource clocks;
    private final Runnable notify;
    private final Object lock = new Object();
    private TimerImpl[] heap = new TimerImpl[16];
    private int size;
    private long nextSeq;
    private volatile boolean closed;

    /**
     * @param notify kicks the loop when an arm makes a new earliest deadline
     * @param kind   how its timers call themselves in messages
     */
    TimerList(ClockType clock, ClockSource clocks, Runnable notify, String kind) {
        this.clock = clock;
        this.kind = kind;
        this.clocks = clocks;
        this.notify = notify;
    }

    ClockType clock() {
        return clock;
    }

    String kind() {
        return kind;
    }

    long now() {
        return clocks.nanos(clock);
    }

    boolean isClosed() {
        return closed;
    }

    /** The clock's timers may fire (QEMU's {@code qemu_clock_enable}); only VIRTUAL stops. */
    boolean enabled() {
        return clock != ClockType.VIRTUAL || clocks.isVirtualRunning();
    }

    TimerImpl newTimer(String name, Runnable callback) {
        return new TimerImpl(this, name, callback);
    }

    /** QEMU's {@code timer_mod_ns}: (re)insert; kick when the timer becomes the head. */
    void mod(TimerImpl t, long expire) {
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
            notify.run();
        }
    }

    /** QEMU's {@code timer_del}: unlink, mark not pending; no kick. */
    void del(TimerImpl t) {
        synchronized (lock) {
            if (t.heapIndex >= 0) {
                removeAt(t.heapIndex);
            }
            t.expire = -1;
            t.pending = false;
        }
    }

    /**
     * QEMU's {@code timerlist_deadline_ns}: -1 if nothing is armed or the clock is stopped, 0 if the
     * head expired, else the nanoseconds until it does.
     */
    long deadlineNs() {
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
        // saturating: a "never" deadline (Long.MAX_VALUE) against a clock below zero must not wrap
        // into a negative delta, which would read as "expired" and make the loop spin
        return Timeouts.untilDeadline(head, now());
    }

    /**
     * Runs the expired timers, reading the clock once (QEMU's {@code timerlist_run_timers}): a
     * callback that re-arms for a time after that reading runs in a later pass, not in this one.
     * Home thread only.
     *
     * @return whether a callback ran
     */
    boolean run(Runner runner) {
        if (size == 0 || !enabled()) { // racy read of size is fine: a new arm kicks the loop
            return false;
        }
        long now = now();
        boolean progress = false;
        for (;;) {
            TimerImpl t;
            synchronized (lock) {
                if (size == 0 || heap[0].expire > now) {
                    break;
                }
                t = heap[0];
                removeAt(0);
                t.expire = -1;
                t.pending = false;
            }
            runner.run(t);
            progress = true;
        }
        return progress;
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

    void snapshot(List<ContextSnapshot.TimerEntry> out) {
        synchronized (lock) {
            for (int i = 0; i < size; i++) {
                out.add(new ContextSnapshot.TimerEntry(heap[i].name(), clock, heap[i].expire));
            }
        }
    }

    int size() {
        synchronized (lock) {
            return size;
        }
    }

    // ---- heap (guarded by lock) ----

    private static boolean less(TimerImpl a, TimerImpl b) {
        return a.expire < b.expire || (a.expire == b.expire && a.seq < b.seq);
    }

    private void insert(TimerImpl t) {
        if (size == heap.length) {
            TimerImpl[] bigger = new TimerImpl[heap.length * 2];
            System.arraycopy(heap, 0, bigger, 0, size);
            heap = bigger;
        }
        heap[size] = t;
        t.heapIndex = size;
        size++;
        siftUp(t.heapIndex);
    }

    private void removeAt(int i) {
        TimerImpl removed = heap[i];
        size--;
        TimerImpl last = heap[size];
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
        TimerImpl t = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            TimerImpl p = heap[parent];
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
        TimerImpl t = heap[i];
        for (;;) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && less(heap[child + 1], heap[child])) {
                child++;
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
