package org.aioloop.core;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.aioloop.api.ClockSource;
import org.aioloop.api.ClockType;

/**
 * Clocks that move only when told, for deterministic tests (QEMU's tests drive the loop the same
 * way with a test clock). {@link #advance(long)} moves REALTIME and HOST, and VIRTUAL while it runs.
 * A context does not notice an advance by itself: run a pass ({@code poll(false)}) after advancing.
 */
public final class ManualClockSource implements ClockSource {
    private final AtomicLong realtime = new AtomicLong();
    private final AtomicLong host = new AtomicLong();
    private final VirtualClockState virtual = new VirtualClockState(0);

    /** Creates clocks that all read 0. */
    public ManualClockSource() {
    }

    /**
     * Moves time forward.
     *
     * @param nanos how far, &gt;= 0
     * @throws IllegalArgumentException if {@code nanos} is negative
     */
    public void advance(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("cannot advance by a negative amount: " + nanos);
        }
        realtime.addAndGet(nanos);
        host.addAndGet(nanos);
    }

    /**
     * Sets one clock. REALTIME must not go backwards; HOST may jump (as wall-clock time does). A
     * clock's origin is not specified, so any reading is allowed, negative ones included (the
     * VIRTUAL clock of a process may well start below zero); tests use that to check that nothing
     * treats a negative reading as special.
     *
     * @param type  the clock
     * @param nanos its new reading
     * @throws IllegalArgumentException if REALTIME would go back
     */
    public void set(ClockType type, long nanos) {
        switch (type) {
            case REALTIME:
                synchronized (this) {
                    long now = realtime.get();
                    if (nanos < now) {
                        throw new IllegalArgumentException("REALTIME cannot go back from " + now + " to " + nanos);
                    }
                    realtime.set(nanos);
                }
                break;
            case HOST:
                host.set(nanos);
                break;
            case VIRTUAL:
                virtual.set(nanos, realtime.get());
                break;
            default:
                throw new IllegalArgumentException("unknown clock " + type);
        }
    }

    @Override
    public long nanos(ClockType type) {
        switch (type) {
            case REALTIME:
                return realtime.get();
            case VIRTUAL:
                return virtual.read(realtime.get());
            case HOST:
                return host.get();
            default:
                throw new IllegalArgumentException("unknown clock " + type);
        }
    }

    @Override
    public void stopVirtual() {
        virtual.stop(realtime.get());
    }

    @Override
    public void resumeVirtual() {
        virtual.resume(realtime.get());
    }

    @Override
    public boolean isVirtualRunning() {
        return virtual.isRunning();
    }

    @Override
    public AutoCloseable onVirtualStateChange(Consumer<Boolean> listener) {
        return virtual.addListener(Objects.requireNonNull(listener, "listener"));
    }
}
