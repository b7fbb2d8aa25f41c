package org.aioloop.api;

/**
 * A bottom half: a deferred callback run on the context's home thread (QEMU's {@code QEMUBH}).
 *
 * <p>Created by {@link AioContext#newBottomHalf(String, Runnable)}; creating queues nothing.
 * {@link #schedule()}, {@link #scheduleIdle()}, {@link #cancel()} and {@link #delete()} are safe from
 * any thread, lock-free and wait-free. Several schedules before the bottom half runs produce a
 * single call. A bottom half runs at most once per {@link AioContext#poll(boolean)} pass: one that
 * reschedules itself from its own callback runs again in the next pass, not in this one.
 */
public interface BottomHalf {
    /**
     * @return the name given at creation, for diagnostics
     */
    String name();

    /**
     * Schedules the bottom half and kicks the loop (QEMU's {@code qemu_bh_schedule}). Its run counts
     * as progress, and a scheduled bottom half makes the next wait non-blocking.
     *
     * @throws ContextClosedException if the bottom half was deleted or its context destroyed
     */
    void schedule();

    /**
     * Schedules the bottom half as idle work (QEMU's {@code qemu_bh_schedule_idle}): it runs within
     * about 10 ms, its run does not count as progress, and it does not make the wait non-blocking.
     *
     * @throws ContextClosedException if the bottom half was deleted or its context destroyed
     */
    void scheduleIdle();

    /**
     * Cancels a pending schedule (QEMU's {@code qemu_bh_cancel}). Racy against a pass that has
     * already taken the bottom half; safe from any thread. No effect if not scheduled.
     */
    void cancel();

    /**
     * Deletes the bottom half (QEMU's {@code qemu_bh_delete}): it will not be called again, even if
     * scheduled, and is released in a later pass. Safe from its own callback and from any thread;
     * idempotent.
     */
    void delete();

    /**
     * @return whether a schedule is pending and the bottom half is not deleted
     */
    boolean isScheduled();

    /**
     * @return whether {@link #delete()} was called or the context was destroyed
     */
    boolean isDeleted();
}
