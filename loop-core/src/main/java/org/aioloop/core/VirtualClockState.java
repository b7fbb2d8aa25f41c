package org.aioloop.core;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The VIRTUAL clock's run/stop state, shared by the clock sources: while running it advances with
 * REALTIME; stopped, it stays where it was (QEMU's {@code vm_stop}/{@code vm_start}).
 */
final class VirtualClockState {
    /** One immutable period: the virtual time at its start and the REALTIME reading then. */
    private record Period(boolean running, long virtualBase, long realtimeStart) {
    }

    private volatile Period period;
    private final CopyOnWriteArrayList<Consumer<Boolean>> listeners = new CopyOnWriteArrayList<>();

    VirtualClockState(long realtimeNow) {
        period = new Period(true, 0, realtimeNow);
    }

    long read(long realtimeNow) {
        Period p = period;
        return p.running ? p.virtualBase + (realtimeNow - p.realtimeStart) : p.virtualBase;
    }

    boolean isRunning() {
        return period.running;
    }

    void stop(long realtimeNow) {
        boolean changed;
        synchronized (this) {
            Period p = period;
            changed = p.running;
            if (changed) {
                period = new Period(false, read(realtimeNow), realtimeNow);
            }
        }
        if (changed) {
            fire(false);
        }
    }

    void resume(long realtimeNow) {
        boolean changed;
        synchronized (this) {
            Period p = period;
            changed = !p.running;
            if (changed) {
                period = new Period(true, p.virtualBase, realtimeNow);
            }
        }
        if (changed) {
            fire(true);
        }
    }

    /** Sets the virtual time (manual clocks only), keeping the run state. */
    synchronized void set(long virtualNow, long realtimeNow) {
        period = new Period(period.running, virtualNow, realtimeNow);
    }

    AutoCloseable addListener(Consumer<Boolean> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void fire(boolean running) {
        for (Consumer<Boolean> l : listeners) {
            l.accept(running);
        }
    }
}
