package org.aioloop.core.main;

import java.util.Objects;
import java.util.concurrent.TimeUnit;

import org.aioloop.api.ClockType;
import org.aioloop.api.ContextClosedException;
import org.aioloop.api.Timer;
import org.aioloop.core.aio.Timeouts;

/**
 * A main-loop timer (QEMU's {@code timer_new_ns} on {@code main_loop_tlg}): run by
 * {@link MainLoopImpl#mainLoopWait(boolean)} after the sources were dispatched. Arming and
 * cancelling are safe from any thread; the heap fields are guarded by the list's lock.
 */
final class MainLoopTimer implements Timer {
    private final MainLoopTimers.ClockList list;
    private final String name;
    final Runnable callback;
    int heapIndex = -1;
    long seq;
    // -1 when not armed; an armed deadline may be negative (a clock below zero), hence the flag
    volatile long expire = -1;
    volatile boolean pending;
    volatile boolean closed;

    MainLoopTimer(MainLoopTimers.ClockList list, String name, Runnable callback) {
        this.list = list;
        this.name = name == null ? "timer" : name;
        this.callback = Objects.requireNonNull(callback, "callback");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ClockType clock() {
        return list.clock;
    }

    @Override
    public void modNanos(long expireNanos) {
        if (expireNanos < 0) {
            throw new IllegalArgumentException("main-loop timer '" + name + "': negative deadline " + expireNanos);
        }
        checkOpen();
        list.mod(this, expireNanos);
    }

    @Override
    public void modIn(long delay, TimeUnit unit) {
        if (delay < 0) {
            throw new IllegalArgumentException("main-loop timer '" + name + "': negative delay " + delay + " " + unit);
        }
        checkOpen();
        // the clock may read negative: saturate only on a real overflow (see Timeouts.deadlineAfter)
        list.mod(this, Timeouts.deadlineAfter(list.now(), unit.toNanos(delay)));
    }

    private void checkOpen() {
        if (closed || list.isClosed()) {
            throw new ContextClosedException("main-loop timer '" + name + "'");
        }
    }

    @Override
    public void cancel() {
        list.del(this);
    }

    @Override
    public boolean isPending() {
        return pending;
    }

    @Override
    public long expireTimeNanos() {
        return expire;
    }

    @Override
    public void close() {
        closed = true;
        list.del(this);
    }

    @Override
    public String toString() {
        return "main-loop timer '" + name + "' (" + list.clock + ")";
    }
}
