package org.aioloop.core.aio;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import org.aioloop.api.BottomHalf;
import org.aioloop.api.ContextClosedException;

/**
 * One bottom half (QEMU's {@code QEMUBH}): a callback plus an atomic flags word. Scheduling, cancel
 * and delete are single fetch-or / fetch-and operations, so they are wait-free from any thread and
 * coalesce (util/async.c {@code aio_bh_enqueue}).
 */
final class BottomHalfImpl implements BottomHalf {
    /** On a list (the context's push list or a slice); only the home thread clears it. */
    static final int PENDING = 1;
    /** Run the callback when dequeued. */
    static final int SCHEDULED = 2;
    /** Drop without running when dequeued; never run again. */
    static final int DELETED = 4;
    /** Drop after the single run. */
    static final int ONESHOT = 8;
    /** Scheduled as idle work: not progress, caps the wait at 10 ms instead of 0. */
    static final int IDLE = 16;

    private static final VarHandle FLAGS;

    static {
        try {
            FLAGS = MethodHandles.lookup().findVarHandle(BottomHalfImpl.class, "flags", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final BottomHalfList list;
    private final String name;
    final Runnable callback;
    @SuppressWarnings("unused") // accessed through FLAGS
    private volatile int flags;
    /**
     * Link in the push list or a slice. Written by the pushing thread before the CAS that publishes
     * the node; read by the home thread after the atomic steal, so the CAS orders it.
     */
    BottomHalfImpl next;

    BottomHalfImpl(BottomHalfList list, String name, Runnable callback, int initialFlags) {
        this.list = list;
        this.name = name == null ? "bh" : name;
        this.callback = Objects.requireNonNull(callback, "callback");
        this.flags = initialFlags;
    }

    int flags() {
        return flags;
    }

    int fetchOr(int bits) {
        return (int) FLAGS.getAndBitwiseOr(this, bits);
    }

    int fetchAnd(int mask) {
        return (int) FLAGS.getAndBitwiseAnd(this, mask);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void schedule() {
        enqueue(SCHEDULED);
    }

    @Override
    public void scheduleIdle() {
        enqueue(SCHEDULED | IDLE);
    }

    private void enqueue(int bits) {
        if ((flags & DELETED) != 0) {
            throw new ContextClosedException("bottom half '" + name + "' (deleted)");
        }
        list.enqueue(this, bits);
    }

    @Override
    public void cancel() {
        // As qemu_bh_cancel: the BH stays on its list and is dropped there without a call.
        fetchAnd(~(SCHEDULED | IDLE));
    }

    @Override
    public void delete() {
        if ((fetchOr(0) & DELETED) == 0) {
            list.enqueue(this, DELETED);
            list.forget(this);
        }
    }

    @Override
    public boolean isScheduled() {
        return (flags & (SCHEDULED | DELETED)) == SCHEDULED;
    }

    @Override
    public boolean isDeleted() {
        return (flags & DELETED) != 0;
    }

    @Override
    public String toString() {
        return "bh '" + name + "'";
    }
}
