package org.aioloop.api;

import java.util.concurrent.TimeUnit;

/**
 * A one-shot timer on one clock of a context (QEMU's {@code QEMUTimer}).
 *
 * <p>Arming and deleting are safe from any thread. The callback runs on the home thread, after the
 * pass's bottom halves and fd handlers, and may re-arm the timer. Timers with equal deadlines fire in
 * the order they were armed. A timer on the VIRTUAL clock does not fire while that clock is stopped.
 */
public interface Timer {
    /**
     * @return the name given at creation, for diagnostics
     */
    String name();

    /**
     * @return the clock this timer runs on
     */
    ClockType clock();

    /**
     * Arms (or re-arms) the timer for an absolute time on its clock (QEMU's {@code timer_mod_ns}).
     * If this becomes the earliest deadline the loop is kicked so it waits no longer than needed.
     *
     * @param expireNanos the absolute deadline, in the clock's nanoseconds; must be &gt;= 0
     * @throws IllegalArgumentException if the deadline is negative
     * @throws ContextClosedException   if the timer was closed or its context destroyed
     */
    void modNanos(long expireNanos);

    /**
     * Arms the timer {@code delay} from now on its clock; saturates instead of overflowing.
     *
     * @param delay how long from now; must be &gt;= 0
     * @param unit  the unit of {@code delay}
     * @throws IllegalArgumentException if the delay is negative
     * @throws ContextClosedException   if the timer was closed or its context destroyed
     */
    void modIn(long delay, TimeUnit unit);

    /**
     * Disarms the timer (QEMU's {@code timer_del}); it can be armed again. No effect if not armed.
     */
    void cancel();

    /**
     * @return whether the timer is armed
     */
    boolean isPending();

    /**
     * @return the armed deadline in the clock's nanoseconds, or -1 when not armed
     */
    long expireTimeNanos();

    /**
     * Disarms the timer and releases it for good (QEMU's {@code timer_free}); idempotent.
     */
    void close();
}
