package org.aioloop.core;

import java.util.Objects;
import java.util.function.Consumer;
import org.aioloop.api.ClockSource;
import org.aioloop.api.ClockType;

/**
 * The real clocks: REALTIME is {@link System#nanoTime()} since this class was loaded (so it starts
 * near 0 and never goes negative), HOST is wall-clock time since the epoch (millisecond precision,
 * read without allocating), VIRTUAL runs with REALTIME until {@link #stopVirtual()}.
 *
 * <p>{@link #INSTANCE} is shared by all contexts unless one is given other clocks; stopping its
 * VIRTUAL clock therefore pauses every context's VIRTUAL timers, as {@code vm_stop} does in QEMU.
 */
public final class SystemClockSource implements ClockSource {
    // ORIGIN must be initialised before INSTANCE: the constructor reads realtime().
    private static final long ORIGIN = System.nanoTime();

    /** The process-wide clocks. */
    public static final SystemClockSource INSTANCE = new SystemClockSource();

    private final VirtualClockState virtual;

    private SystemClockSource() {
        virtual = new VirtualClockState(realtime());
    }

    private static long realtime() {
        return System.nanoTime() - ORIGIN;
    }

    @Override
    public long nanos(ClockType type) {
        switch (type) {
            case REALTIME:
                return realtime();
            case VIRTUAL:
                return virtual.read(realtime());
            case HOST:
                return System.currentTimeMillis() * 1_000_000L;
            default:
                throw new IllegalArgumentException("unknown clock " + type);
        }
    }

    @Override
    public void stopVirtual() {
        virtual.stop(realtime());
    }

    @Override
    public void resumeVirtual() {
        virtual.resume(realtime());
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
