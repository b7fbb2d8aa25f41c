package org.aioloop.api;

/**
 * The time source of a set of contexts: one reading per {@link ClockType}, in nanoseconds.
 *
 * <p>Implementations must be thread-safe. The core provides a system implementation and a manual
 * one for deterministic tests; contexts never call {@link System#nanoTime()} directly.
 */
public interface ClockSource {
    /**
     * @param type a clock
     * @return the clock's current time in nanoseconds (for HOST, since the epoch)
     */
    long nanos(ClockType type);

    /** Stops the VIRTUAL clock (QEMU's {@code vm_stop}); idempotent. Timers on it stop firing. */
    void stopVirtual();

    /** Resumes the VIRTUAL clock from where it stopped (QEMU's {@code vm_start}); idempotent. */
    void resumeVirtual();

    /**
     * @return whether the VIRTUAL clock is running
     */
    boolean isVirtualRunning();

    /**
     * Registers a listener told (on the calling thread of {@link #stopVirtual()} or
     * {@link #resumeVirtual()}) when the VIRTUAL clock starts or stops, so contexts can re-evaluate
     * their deadlines.
     *
     * @param listener called with {@code true} on resume and {@code false} on stop
     * @return a handle whose {@code close()} removes the listener
     */
    AutoCloseable onVirtualStateChange(java.util.function.Consumer<Boolean> listener);
}
