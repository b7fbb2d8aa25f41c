package org.aioloop.core.aio;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.aioloop.api.ContextSnapshot;

/**
 * A context's bottom halves (util/async.c {@code bh_list}, {@code bh_slice_list},
 * {@code aio_bh_poll}, {@code aio_compute_bh_timeout}).
 *
 * <p>Any thread pushes onto a lock-free list (CAS on the head). The home thread steals the whole
 * list atomically into a <em>slice</em> at the start of each {@link #poll} and runs it; BHs scheduled
 * meanwhile land on the push list and wait for the next pass, so a BH runs at most once per pass.
 * Slices form a FIFO queue: a nested {@code poll} (from inside a BH) appends its own slice and then
 * drains the queue from its head, i.e. it also finishes what the outer pass had not reached yet
 * (QEMU: "so that nested aio_bh_poll() calls process all scheduled bottom halves"). The slice
 * objects are preallocated and reused, one per nesting depth: no allocation per pass.
 */
final class BottomHalfList {
    /** Caps the wait when only idle BHs are pending (QEMU: "polled at least every 10ms"). */
    static final long IDLE_TIMEOUT_NS = 10_000_000L;

    private static final VarHandle HEAD;

    static {
        try {
            HEAD = MethodHandles.lookup().findVarHandle(BottomHalfList.class, "head", BottomHalfImpl.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Runs one BH's callback with error isolation and accounting. */
    interface Runner {
        void run(BottomHalfImpl bh);
    }

    private static final class Slice {
        BottomHalfImpl head;
    }

    private final Runnable notify;
    @SuppressWarnings("unused") // accessed through HEAD
    private volatile BottomHalfImpl head;
    /** Named, non-oneshot BHs that are not deleted: for snapshots and for close(). */
    private final Set<BottomHalfImpl> live = ConcurrentHashMap.newKeySet();

    // Home thread only.
    private Slice[] slices = new Slice[4];
    private int firstSlice;
    private int sliceEnd;

    /**
     * @param notify kicks the loop (QEMU's {@code aio_notify}); called after every enqueue
     */
    BottomHalfList(Runnable notify) {
        this.notify = notify;
        for (int i = 0; i < slices.length; i++) {
            slices[i] = new Slice();
        }
    }

    BottomHalfImpl create(String name, Runnable callback) {
        BottomHalfImpl bh = new BottomHalfImpl(this, name, callback, 0);
        live.add(bh);
        return bh;
    }

    void scheduleOneshot(String name, Runnable callback) {
        BottomHalfImpl bh = new BottomHalfImpl(this, name, callback, 0);
        enqueue(bh, BottomHalfImpl.SCHEDULED | BottomHalfImpl.ONESHOT);
    }

    void forget(BottomHalfImpl bh) {
        live.remove(bh);
    }

    /** QEMU's {@code aio_bh_enqueue}: set the bits; push only if the BH was not already on a list. */
    void enqueue(BottomHalfImpl bh, int bits) {
        int old = bh.fetchOr(BottomHalfImpl.PENDING | bits);
        if ((old & BottomHalfImpl.PENDING) == 0) {
            BottomHalfImpl h;
            do {
                h = head;
                bh.next = h;
            } while (!HEAD.compareAndSet(this, h, bh));
        }
        notify.run();
    }

    /**
     * Runs the scheduled BHs of this pass (QEMU's {@code aio_bh_poll}). Home thread only.
     *
     * @param runner calls one BH
     * @return whether a non-idle BH ran (progress)
     */
    boolean poll(Runner runner) {
        if (sliceEnd == slices.length) {
            growSlices();
        }
        Slice mine = slices[sliceEnd++];
        mine.head = (BottomHalfImpl) HEAD.getAndSet(this, (BottomHalfImpl) null);
        boolean progress = false;
        while (firstSlice < sliceEnd) {
            Slice s = slices[firstSlice];
            BottomHalfImpl bh = s.head;
            if (bh == null) {
                firstSlice++;
                continue;
            }
            // Unlink before clearing PENDING: once PENDING is clear another thread may push the
            // BH again and overwrite its link.
            s.head = bh.next;
            bh.next = null;
            int flags = bh.fetchAnd(~(BottomHalfImpl.PENDING | BottomHalfImpl.SCHEDULED | BottomHalfImpl.IDLE));
            if ((flags & (BottomHalfImpl.SCHEDULED | BottomHalfImpl.DELETED)) == BottomHalfImpl.SCHEDULED) {
                if ((flags & BottomHalfImpl.IDLE) == 0) {
                    progress = true;
                }
                runner.run(bh);
            }
        }
        // Every slice, the outer passes' included, is drained now.
        firstSlice = 0;
        sliceEnd = 0;
        return progress;
    }

    private void growSlices() {
        Slice[] bigger = new Slice[slices.length * 2];
        System.arraycopy(slices, 0, bigger, 0, slices.length);
        for (int i = slices.length; i < bigger.length; i++) {
            bigger[i] = new Slice();
        }
        slices = bigger;
    }

    /**
     * QEMU's {@code aio_compute_bh_timeout}: 0 if a non-idle BH is scheduled, 10 ms if only idle
     * ones are, else -1. Home thread (reads the slices).
     */
    long computeTimeout() {
        long timeout = -1;
        for (BottomHalfImpl bh = head; bh != null; bh = bh.next) {
            int f = bh.flags();
            if ((f & (BottomHalfImpl.SCHEDULED | BottomHalfImpl.DELETED)) == BottomHalfImpl.SCHEDULED) {
                if ((f & BottomHalfImpl.IDLE) == 0) {
                    return 0;
                }
                timeout = IDLE_TIMEOUT_NS;
            }
        }
        for (int i = firstSlice; i < sliceEnd; i++) {
            for (BottomHalfImpl bh = slices[i].head; bh != null; bh = bh.next) {
                int f = bh.flags();
                if ((f & (BottomHalfImpl.SCHEDULED | BottomHalfImpl.DELETED)) == BottomHalfImpl.SCHEDULED) {
                    if ((f & BottomHalfImpl.IDLE) == 0) {
                        return 0;
                    }
                    timeout = IDLE_TIMEOUT_NS;
                }
            }
        }
        return timeout;
    }

    /** QEMU's {@code aio_ctx_check} BH part: any BH scheduled (idle or not) and not deleted. */
    boolean anyScheduled() {
        return computeTimeout() >= 0;
    }

    /** Deletes every BH (context destruction); queued ones are dropped without running. */
    void deleteAll() {
        for (BottomHalfImpl bh : live) {
            bh.fetchOr(BottomHalfImpl.DELETED);
        }
        live.clear();
        BottomHalfImpl bh = (BottomHalfImpl) HEAD.getAndSet(this, (BottomHalfImpl) null);
        while (bh != null) {
            bh.fetchOr(BottomHalfImpl.DELETED);
            BottomHalfImpl n = bh.next;
            bh.next = null;
            bh = n;
        }
    }

    List<ContextSnapshot.Bh> snapshot() {
        List<ContextSnapshot.Bh> out = new ArrayList<>();
        for (BottomHalfImpl bh : live) {
            int f = bh.flags();
            boolean scheduled = (f & (BottomHalfImpl.SCHEDULED | BottomHalfImpl.DELETED)) == BottomHalfImpl.SCHEDULED;
            out.add(new ContextSnapshot.Bh(bh.name(), scheduled, scheduled && (f & BottomHalfImpl.IDLE) != 0));
        }
        return out;
    }

    int liveCount() {
        return live.size();
    }
}
