package org.aioloop.core.pool;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * One piece of work submitted to a {@link ThreadPool} (QEMU's {@code ThreadPoolElement}), and the
 * future its submitter holds.
 *
 * <p>States follow QEMU: QUEUED until a worker takes it, ACTIVE while the work runs, DONE when it
 * has run; CANCELLED when {@link #cancel(boolean)} caught it still queued. The state is guarded by
 * the pool's lock; the result fields are written by the worker before the request is published on
 * the pool's completion queue (a concurrent queue, so the home thread that delivers the result sees
 * them).
 *
 * @param <T> the work's result type
 */
final class PoolRequest<T> extends CompletableFuture<T> {
    static final int QUEUED = 0;
    static final int ACTIVE = 1;
    static final int DONE = 2;
    static final int CANCELLED = 3;

    private final ThreadPool pool;
    private final Callable<T> work;
    /** Guarded by the pool's lock. */
    int state = QUEUED;
    private T result;
    private Throwable failure;

    PoolRequest(ThreadPool pool, Callable<T> work) {
        this.pool = pool;
        this.work = work;
    }

    /** Runs the work on the calling worker thread and keeps its outcome for {@link #deliver()}. */
    void runWork() {
        try {
            result = work.call();
        } catch (Throwable t) {
            failure = t;
        }
    }

    /** Completes the future with the kept outcome; called on the completion executor's thread. */
    void deliver() {
        if (failure != null) {
            completeExceptionally(failure);
        } else {
            complete(result);
        }
    }

    /** Completes the future as cancelled, after the pool took it off the queue. */
    void completeCancelled() {
        super.cancel(false);
    }

    /**
     * Cancels the work only while it is still queued (QEMU's {@code thread_pool_cancel}): work that a
     * worker already runs is never interrupted and its cancel returns false. A successful cancel
     * completes this future at once, on the calling thread, as {@link CompletableFuture} requires.
     *
     * @param mayInterruptIfRunning ignored: running work is never interrupted
     * @return whether the work was still queued and is now cancelled
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        if (!pool.cancelQueued(this)) {
            return false;
        }
        return super.cancel(false);
    }
}
