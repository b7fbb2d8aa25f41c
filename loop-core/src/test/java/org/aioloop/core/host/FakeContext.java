package org.aioloop.core.host;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.aioloop.api.AioContext;
import org.aioloop.api.BottomHalf;
import org.aioloop.api.CallbackErrorHandler;
import org.aioloop.api.ClockSource;
import org.aioloop.api.ClockType;
import org.aioloop.api.ContextClosedException;
import org.aioloop.api.ContextSnapshot;
import org.aioloop.api.ContextStats;
import org.aioloop.api.FdCallback;
import org.aioloop.api.InvalidFdException;
import org.aioloop.api.IoEvents;
import org.aioloop.api.PollCallback;
import org.aioloop.api.PollParams;
import org.aioloop.api.Timer;
import org.aioloop.api.WrongThreadException;

/**
 * A small in-memory AioContext for unit tests of the host logic: no fds are polled; the test fires
 * readiness with {@link #fire}, advances a manual clock, and runs passes with {@link #poll}. A pass
 * runs one-shots and scheduled bottom halves, then expired timers. Exceptions thrown by callbacks
 * escape to the test (the view must have caught them already), so a leaking exception fails a test.
 */
final class FakeContext implements AioContext {
    record Handler(FdCallback read, FdCallback write, PollCallback poll, FdCallback pollReady) {
    }

    private final String name;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition kicked = lock.newCondition();
    private final ConcurrentLinkedQueue<Runnable> oneshots = new ConcurrentLinkedQueue<>();
    private final Map<Integer, Handler> handlers = new TreeMap<>();
    private final List<FakeBh> bhs = new ArrayList<>();
    private final List<FakeTimer> timers = new ArrayList<>();
    private final List<Runnable> pendingJobs = new ArrayList<>();
    private volatile Thread home;
    private volatile boolean closed;
    private volatile boolean kick;
    private volatile long now;

    FakeContext(String name) {
        this.name = name;
    }

    // ---- test controls -------------------------------------------------------------------------

    /** Calls the handler of {@code fd} as a ready fd would. */
    void fire(int fd, int revents) {
        Handler h;
        lock.lock();
        try {
            h = handlers.get(fd);
        } finally {
            lock.unlock();
        }
        if (h == null) {
            return;
        }
        if (h.read() != null && (revents & IoEvents.READ_READY) != 0) {
            h.read().onReady(fd, revents);
        }
        if (h.write() != null && (revents & IoEvents.WRITE_READY) != 0) {
            h.write().onReady(fd, revents);
        }
    }

    Handler handler(int fd) {
        lock.lock();
        try {
            return handlers.get(fd);
        } finally {
            lock.unlock();
        }
    }

    int handlerCount() {
        lock.lock();
        try {
            return handlers.size();
        } finally {
            lock.unlock();
        }
    }

    int liveBottomHalves() {
        lock.lock();
        try {
            return (int) bhs.stream().filter(b -> !b.deleted).count();
        } finally {
            lock.unlock();
        }
    }

    int liveTimers() {
        lock.lock();
        try {
            return (int) timers.stream().filter(t -> !t.closed).count();
        } finally {
            lock.unlock();
        }
    }

    void advance(long nanos) {
        now += nanos;
    }

    /** Runs the queued pool jobs on the calling thread; their futures complete in the next pass. */
    void runJobs() {
        List<Runnable> jobs;
        lock.lock();
        try {
            jobs = new ArrayList<>(pendingJobs);
            pendingJobs.clear();
        } finally {
            lock.unlock();
        }
        jobs.forEach(Runnable::run);
    }

    // ---- AioContext ----------------------------------------------------------------------------

    @Override
    public String name() {
        return name;
    }

    @Override
    public Thread homeThread() {
        return home;
    }

    @Override
    public boolean inHomeThread() {
        return home == Thread.currentThread();
    }

    @Override
    public boolean poll(boolean blocking) {
        if (closed) {
            throw new ContextClosedException("context '" + name + "'");
        }
        if (home == null) {
            home = Thread.currentThread();
        } else if (home != Thread.currentThread()) {
            throw new WrongThreadException("poll", name, home);
        }
        if (blocking) {
            lock.lock();
            try {
                while (!kick && oneshots.isEmpty() && bhs.stream().noneMatch(b -> b.scheduled) && !closed) {
                    kicked.await(10, TimeUnit.MILLISECONDS);
                }
                kick = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                lock.unlock();
            }
        }
        boolean progress = false;
        Runnable r;
        while ((r = oneshots.poll()) != null) {
            r.run();
            progress = true;
        }
        List<FakeBh> due = new ArrayList<>();
        List<FakeTimer> expired = new ArrayList<>();
        lock.lock();
        try {
            for (FakeBh b : bhs) {
                if (b.scheduled && !b.deleted) {
                    b.scheduled = false;
                    due.add(b);
                }
            }
            for (FakeTimer t : timers) {
                if (!t.closed && t.expire >= 0 && t.expire <= now) {
                    t.expire = -1;
                    expired.add(t);
                }
            }
        } finally {
            lock.unlock();
        }
        for (FakeBh b : due) {
            b.callback.run();
            progress = true;
        }
        for (FakeTimer t : expired) {
            t.callback.run();
            progress = true;
        }
        return progress;
    }

    @Override
    public void kick() {
        lock.lock();
        try {
            kick = true;
            kicked.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void setFdHandler(int fd, FdCallback read, FdCallback write, PollCallback poll, FdCallback pollReady) {
        if (closed) {
            throw new ContextClosedException("context '" + name + "'");
        }
        if (fd < 0) {
            throw new InvalidFdException(fd, "negative fd");
        }
        if (read == null && write == null && pollReady == null) {
            throw new InvalidFdException(fd, "no callback given");
        }
        lock.lock();
        try {
            handlers.put(fd, new Handler(read, write, poll, pollReady));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean removeFdHandler(int fd) {
        lock.lock();
        try {
            return handlers.remove(fd) != null;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public BottomHalf newBottomHalf(String bhName, Runnable callback) {
        if (closed) {
            throw new ContextClosedException("context '" + name + "'");
        }
        FakeBh b = new FakeBh(bhName, callback);
        lock.lock();
        try {
            bhs.add(b);
        } finally {
            lock.unlock();
        }
        return b;
    }

    @Override
    public void scheduleOneshot(Runnable callback) {
        if (closed) {
            throw new ContextClosedException("context '" + name + "'");
        }
        oneshots.add(callback);
        kick();
    }

    @Override
    public Timer newTimer(ClockType clock, String timerName, Runnable callback) {
        if (closed) {
            throw new ContextClosedException("context '" + name + "'");
        }
        FakeTimer t = new FakeTimer(clock, timerName, callback);
        lock.lock();
        try {
            timers.add(t);
        } finally {
            lock.unlock();
        }
        return t;
    }

    @Override
    public ClockSource clocks() {
        throw new UnsupportedOperationException("not used by these tests");
    }

    @Override
    public <T> CompletableFuture<T> submitBlocking(Callable<T> work) {
        if (!inHomeThread() && home != null) {
            throw new WrongThreadException("submitBlocking", name, home);
        }
        CompletableFuture<T> f = new CompletableFuture<>();
        lock.lock();
        try {
            pendingJobs.add(() -> {
                if (f.isCancelled()) {
                    return;
                }
                try {
                    T v = work.call();
                    scheduleOneshot(() -> f.complete(v));
                } catch (Exception e) {
                    scheduleOneshot(() -> f.completeExceptionally(e));
                }
            });
        } finally {
            lock.unlock();
        }
        return f;
    }

    @Override
    public String backendName() {
        return "fake";
    }

    @Override
    public CompletableFuture<String> switchBackend(String backend) {
        return CompletableFuture.completedFuture("fake");
    }

    @Override
    public void setPollParams(PollParams params) {
    }

    @Override
    public PollParams pollParams() {
        return PollParams.OFF;
    }

    @Override
    public void setErrorHandler(CallbackErrorHandler handler) {
        throw new AssertionError("a device view must never replace the context's error handler");
    }

    @Override
    public ContextStats stats() {
        return new ContextStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    @Override
    public ContextSnapshot snapshot() {
        return new ContextSnapshot(name, home == null ? null : home.getName(), "fake", List.of(), List.of(), List.of());
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        closed = true;
        kick();
    }

    final class FakeBh implements BottomHalf {
        final String bhName;
        final Runnable callback;
        volatile boolean scheduled;
        volatile boolean deleted;

        FakeBh(String bhName, Runnable callback) {
            this.bhName = bhName;
            this.callback = callback;
        }

        @Override
        public String name() {
            return bhName;
        }

        @Override
        public void schedule() {
            if (deleted) {
                throw new ContextClosedException("bh '" + bhName + "'");
            }
            scheduled = true;
            kick();
        }

        @Override
        public void scheduleIdle() {
            schedule();
        }

        @Override
        public void cancel() {
            scheduled = false;
        }

        @Override
        public void delete() {
            deleted = true;
            scheduled = false;
        }

        @Override
        public boolean isScheduled() {
            return scheduled && !deleted;
        }

        @Override
        public boolean isDeleted() {
            return deleted;
        }
    }

    final class FakeTimer implements Timer {
        final ClockType clock;
        final String timerName;
        final Runnable callback;
        volatile long expire = -1;
        volatile boolean closed;

        FakeTimer(ClockType clock, String timerName, Runnable callback) {
            this.clock = clock;
            this.timerName = timerName;
            this.callback = callback;
        }

        @Override
        public String name() {
            return timerName;
        }

        @Override
        public ClockType clock() {
            return clock;
        }

        @Override
        public void modNanos(long expireNanos) {
            if (closed) {
                throw new ContextClosedException("timer '" + timerName + "'");
            }
            expire = expireNanos;
        }

        @Override
        public void modIn(long delay, TimeUnit unit) {
            modNanos(now + unit.toNanos(delay));
        }

        @Override
        public void cancel() {
            expire = -1;
        }

        @Override
        public boolean isPending() {
            return expire >= 0;
        }

        @Override
        public long expireTimeNanos() {
            return expire;
        }

        @Override
        public void close() {
            closed = true;
            expire = -1;
        }
    }
}
