package org.aioloop.core.aio;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.aioloop.api.ClockType;
import org.aioloop.api.ContextClosedException;
import org.aioloop.api.Timer;

/**
 * One timer (QEMU's {@code QEMUTimer}) of an AioContext or of the main loop. Its heap position,
 * deadline and arming sequence are guarded by its {@link TimerList}'s lock;
 * {@link #expireTimeNanos()} reads a volatile copy.
 */
public final class TimerImpl implements Timer {
    private final TimerList list;
    private final String name;
    final Runnable callback;

    // Guarded by list's lock.
    int heapIndex = -1;
    long seq;
    // The deadline while armed, -1 otherwise. Deadlines from modIn may be negative when the clock
    // reads below zero, so "armed" is its own flag rather than "expire >= 0".
    volatile long expire = -1;
    volatile boolean pending;
    volatile boolean closed;

    TimerImpl(TimerList list, String name, Runnable callback) {
        this.list = list;
        this.name = name == null ? "timer" : name;
        this.callback = Objects.requireNonNull(callback, "callback");
    }

    /** Runs the callback, letting what it throws escape (the caller's {@link TimerList.Runner} isolates it). */
    public void runCallback() {
        callback.run();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ClockType clock() {
        return list.clock();
    }

    @Override
    public void modNanos(long expireNanos) {
        if (expireNanos < 0) {
            throw new IllegalArgumentException(list.kind() + " '" + name + "': negative deadline " + expireNanos);
        }
        checkOpen();
        list.mod(this, expireNanos);
    }

    @Override
    public void modIn(long delay, TimeUnit unit) {
        if (delay < 0) {
            throw new IllegalArgumentException(list.kind() + " '" + name + "': negative delay " + delay + " " + unit);
        }
        checkOpen();
        // toNanos saturates at Long.MAX_VALUE; the clock may read negative, so only a real
        // overflow of the sum saturates (a sign check on the sum would park short delays forever)
        list.mod(this, Timeouts.deadlineAfter(list.now(), unit.toNanos(delay)));
    }

    private void checkOpen() {
        if (closed || list.isClosed()) {
            throw new ContextClosedException(list.kind() + " '" + name + "'");
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
        return list.kind() + " '" + name + "' (" + list.clock() + ")";
    }
}
