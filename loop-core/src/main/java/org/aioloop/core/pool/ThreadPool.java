package org.aioloop.core.pool;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.aioloop.api.ContextClosedException;
import org.aioloop.api.InvalidConfigurationException;

/**
 * A context's pool of worker threads for blocking work (QEMU's {@code util/thread-pool.c}).
 *
 * <ul>
 * <li>{@link #submit(Callable)} queues the work and starts a worker when none is idle and fewer
 *     than {@code maxThreads} run. The work runs on a worker; its outcome completes the returned
 *     future through the completion executor (for a context: a one-shot bottom half, so on the home
 *     thread). Completions are batched: one executor task drains every finished request.</li>
 * <li>{@link CompletableFuture#cancel(boolean)} on the returned future succeeds only while the work
 *     is still queued; work that already runs goes on to completion and its cancel returns false.</li>
 * <li>Idle workers above {@code minThreads} exit after the idle timeout (10 s by default); workers
 *     above {@code maxThreads} exit after their current work. {@link #setLimits} applies at once and
 *     starts workers up to the new minimum.</li>
 * <li>{@link #close()} stops spawning, cancels queued work, wakes the workers and joins them
 *     (active work finishes first). Afterwards {@link #submit} throws
 *     {@link ContextClosedException}.</li>
 * </ul>
 *
 * <p>Thread-safe: every method may be called from any thread.
 */
public final class ThreadPool implements AutoCloseable {
    /** QEMU's {@code THREAD_POOL_MAX_THREADS_DEFAULT}. */
    public static final int DEFAULT_MAX_THREADS = 64;
    /** How long an idle worker above the minimum waits for work before it exits (QEMU: 10 s). */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(10);
    /** Configuration key of the minimum, named in {@link InvalidConfigurationException}s. */
    public static final String KEY_MIN = "thread-pool-min";
    /** Configuration key of the maximum, named in {@link InvalidConfigurationException}s. */
    public static final String KEY_MAX = "thread-pool-max";

    private final String name;
    private final Executor completionExecutor;
    private final long idleTimeoutNanos;
    private final ThreadFactory threadFactory;

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when work is queued, limits change or the pool closes (QEMU's request_cond). */
    private final Condition requestCond = lock.newCondition();
    /** Guarded by {@link #lock}: requests in submission order, cancelled ones skipped lazily. */
    private final ArrayDeque<PoolRequest<?>> queue = new ArrayDeque<>();
    /** Guarded by {@link #lock}: the live workers, for {@link #close()} to join. */
    private final List<Thread> workers = new ArrayList<>();
    private int minThreads;
    private int maxThreads;
    private int queuedCount;
    private int activeCount;
    private int curThreads;
    private int idleThreads;
    private boolean closed;

    /** Finished requests waiting for the completion executor (QEMU: DONE elements + completion BH). */
    private final ConcurrentLinkedQueue<PoolRequest<?>> done = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drainCompletions;
    private final AtomicLong completed = new AtomicLong();

    /**
     * Creates a pool with the default idle timeout and daemon worker threads named after the pool.
     *
     * @param name               for thread names and messages
     * @param minThreads         workers kept alive while idle, &gt;= 0
     * @param maxThreads         the most workers, &gt; 0 and &gt;= {@code minThreads}
     * @param completionExecutor runs the completions (a context's one-shot bottom halves)
     * @throws InvalidConfigurationException if the limits are invalid (naming
     *                                       {@link #KEY_MIN}/{@link #KEY_MAX})
     */
    public ThreadPool(String name, int minThreads, int maxThreads, Executor completionExecutor) {
        this(name, minThreads, maxThreads, completionExecutor, DEFAULT_IDLE_TIMEOUT, null);
    }

    /**
     * Creates a pool.
     *
     * @param name               for thread names and messages
     * @param minThreads         workers kept alive while idle, &gt;= 0
     * @param maxThreads         the most workers, &gt; 0 and &gt;= {@code minThreads}
     * @param completionExecutor runs the completions (a context's one-shot bottom halves)
     * @param idleTimeout        how long an idle worker above the minimum lives, &gt; 0
     * @param threadFactory      makes the workers, or null for daemon threads named after the pool
     * @throws InvalidConfigurationException if the limits or the timeout are invalid
     */
    public ThreadPool(String name, int minThreads, int maxThreads, Executor completionExecutor,
            Duration idleTimeout, ThreadFactory threadFactory) {
        this.name = Objects.requireNonNull(name, "name");
        this.completionExecutor = Objects.requireNonNull(completionExecutor, "completionExecutor");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new InvalidConfigurationException("thread-pool-idle-timeout", idleTimeout, "must be > 0");
        }
        validate(minThreads, maxThreads);
        this.idleTimeoutNanos = saturatedNanos(idleTimeout);
        this.threadFactory = threadFactory != null ? threadFactory : defaultFactory(name);
        lock.lock();
        try {
            this.minThreads = minThreads;
            this.maxThreads = maxThreads;
            spawnUpToMin();
        } finally {
            lock.unlock();
        }
    }

    /**
     * @return the pool's name
     */
    public String name() {
        return name;
    }

    /**
     * Queues blocking work (QEMU's {@code thread_pool_submit_aio}). Any thread.
     *
     * @param work the work, run once on a worker
     * @param <T>  its result type
     * @return completed through the completion executor with the work's result or exception;
     *         cancellable while queued
     * @throws ContextClosedException if the pool is closed
     */
    public <T> CompletableFuture<T> submit(Callable<T> work) {
        Objects.requireNonNull(work, "work");
        PoolRequest<T> request = new PoolRequest<>(this, work);
        lock.lock();
        try {
            if (closed) {
                throw new ContextClosedException("thread pool '" + name + "'");
            }
            queue.addLast(request);
            queuedCount++;
            // QEMU spawns when no thread is idle; counting queued work against idle workers also
            // covers a burst that arrives before the signalled idle workers have woken up.
            if (queuedCount > idleThreads && curThreads < maxThreads) {
                spawn();
            }
            requestCond.signal();
        } finally {
            lock.unlock();
        }
        return request;
    }

    /**
     * Changes the limits (QEMU's {@code thread_pool_update_params}). Workers are started up to the
     * new minimum at once; workers above a lowered maximum exit after their current work.
     *
     * @param min workers kept alive while idle, &gt;= 0
     * @param max the most workers, &gt; 0 and &gt;= {@code min}
     * @throws InvalidConfigurationException naming {@link #KEY_MIN} or {@link #KEY_MAX}; the old
     *                                       limits stay
     * @throws ContextClosedException        if the pool is closed
     */
    public void setLimits(int min, int max) {
        validate(min, max);
        lock.lock();
        try {
            if (closed) {
                throw new ContextClosedException("thread pool '" + name + "'");
            }
            minThreads = min;
            maxThreads = max;
            spawnUpToMin();
            requestCond.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * @return the configured minimum
     */
    public int minThreads() {
        lock.lock();
        try {
            return minThreads;
        } finally {
            lock.unlock();
        }
    }

    /**
     * @return the configured maximum
     */
    public int maxThreads() {
        lock.lock();
        try {
            return maxThreads;
        } finally {
            lock.unlock();
        }
    }

    /**
     * @return work waiting for a worker
     */
    public int queued() {
        lock.lock();
        try {
            return queuedCount;
        } finally {
            lock.unlock();
        }
    }

    /**
     * @return work running now
     */
    public int active() {
        lock.lock();
        try {
            return activeCount;
        } finally {
            lock.unlock();
        }
    }

    /**
     * @return live worker threads
     */
    public int threads() {
        lock.lock();
        try {
            return curThreads;
        } finally {
            lock.unlock();
        }
    }

    /**
     * @return a consistent snapshot of the counters
     */
    public ThreadPoolStats stats() {
        lock.lock();
        try {
            return new ThreadPoolStats(queuedCount, activeCount, curThreads, idleThreads, minThreads,
                    maxThreads, completed.get());
        } finally {
            lock.unlock();
        }
    }

    /**
     * @return whether {@link #close()} was called
     */
    public boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops the pool (QEMU's {@code thread_pool_free}): no more workers are started, queued work is
     * cancelled (its futures complete with a {@link java.util.concurrent.CancellationException}),
     * idle workers are woken, and every worker is joined; active work runs to completion first and
     * is still delivered through the completion executor if that accepts it. Idempotent. Called from
     * a worker (inside submitted work), it does not wait for that worker itself.
     */
    @Override
    public void close() {
        List<PoolRequest<?>> cancelled = new ArrayList<>();
        List<Thread> toJoin;
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                for (PoolRequest<?> r; (r = queue.pollFirst()) != null;) {
                    if (r.state == PoolRequest.QUEUED) {
                        r.state = PoolRequest.CANCELLED;
                        cancelled.add(r);
                    }
                }
                queuedCount = 0;
                requestCond.signalAll();
            }
            toJoin = new ArrayList<>(workers);
        } finally {
            lock.unlock();
        }
        for (PoolRequest<?> r : cancelled) {
            r.completeCancelled();
        }
        boolean interrupted = false;
        for (Thread t : toJoin) {
            if (t == Thread.currentThread()) {
                continue;
            }
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "ThreadPool[" + name + ", " + stats() + "]";
    }

    /** Called by {@link PoolRequest#cancel(boolean)}: takes the request off the queue if still queued. */
    boolean cancelQueued(PoolRequest<?> request) {
        lock.lock();
        try {
            if (request.state != PoolRequest.QUEUED) {
                return false;
            }
            request.state = PoolRequest.CANCELLED;
            queuedCount--;
            return true;
        } finally {
            lock.unlock();
        }
    }

    private static void validate(int min, int max) {
        if (min < 0) {
            throw new InvalidConfigurationException(KEY_MIN, min, "must be >= 0");
        }
        if (max <= 0) {
            throw new InvalidConfigurationException(KEY_MAX, max, "must be > 0");
        }
        if (min > max) {
            throw new InvalidConfigurationException(KEY_MIN, min, "must be <= " + KEY_MAX + " (" + max + ")");
        }
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static ThreadFactory defaultFactory(String poolName) {
        AtomicInteger seq = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, poolName + " worker " + seq.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Lock held. */
    private void spawnUpToMin() {
        while (curThreads < minThreads) {
            spawn();
        }
    }

    /** Lock held. */
    private void spawn() {
        Thread t = threadFactory.newThread(this::workerLoop);
        curThreads++;
        workers.add(t);
        try {
            t.start();
        } catch (RuntimeException | Error e) {
            curThreads--;
            workers.remove(t);
            throw e;
        }
    }

    /** Lock held: the next request still queued, skipping those cancelled while queued. */
    private PoolRequest<?> takeQueued() {
        for (PoolRequest<?> r; (r = queue.pollFirst()) != null;) {
            if (r.state == PoolRequest.QUEUED) {
                queuedCount--;
                return r;
            }
        }
        return null;
    }

    /** QEMU's {@code worker_thread}. */
    private void workerLoop() {
        lock.lock();
        try {
            boolean idle = false;
            long idleSince = 0;
            while (!closed && curThreads <= maxThreads) {
                PoolRequest<?> request = takeQueued();
                if (request == null) {
                    long now = System.nanoTime();
                    if (!idle) {
                        idle = true;
                        idleSince = now;
                    }
                    long left = idleTimeoutNanos - (now - idleSince);
                    if (left <= 0) {
                        // Timed out with no work: exit unless needed as a warm thread.
                        if (curThreads > minThreads) {
                            break;
                        }
                        idleSince = now;
                        continue;
                    }
                    idleThreads++;
                    try {
                        requestCond.awaitNanos(left);
                    } catch (InterruptedException e) {
                        // Nobody is meant to interrupt workers; the flags above decide when to exit.
                    } finally {
                        idleThreads--;
                    }
                    continue;
                }
                idle = false;
                request.state = PoolRequest.ACTIVE;
                activeCount++;
                lock.unlock();
                try {
                    Thread.interrupted(); // a stray interrupt must not leak into the next work
                    request.runWork();
                } finally {
                    lock.lock();
                    activeCount--;
                    request.state = PoolRequest.DONE;
                }
                done.add(request);
                lock.unlock();
                try {
                    scheduleDrain();
                } finally {
                    lock.lock();
                }
            }
        } finally {
            curThreads--;
            workers.remove(Thread.currentThread());
            lock.unlock();
        }
    }

    private void scheduleDrain() {
        if (!drainScheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            completionExecutor.execute(drainTask);
        } catch (RuntimeException e) {
            // The completion executor is gone (its context was closed): the outcomes can no longer
            // reach the home thread, so the futures fail with the executor's reason instead of
            // hanging forever.
            drainScheduled.set(false);
            for (PoolRequest<?> r; (r = done.poll()) != null;) {
                r.completeExceptionally(e);
            }
        }
    }

    /** QEMU's {@code thread_pool_completion_bh}: runs on the completion executor's thread. */
    private void drainCompletions() {
        drainScheduled.set(false);
        for (PoolRequest<?> r; (r = done.poll()) != null;) {
            // As QEMU re-schedules its completion BH before each callback: a completion may run a
            // nested poll() that waits for another request; that poll must be able to deliver the
            // requests still queued here.
            if (!done.isEmpty()) {
                scheduleDrain();
            }
            completed.incrementAndGet();
            r.deliver();
        }
    }
}
