package org.aioloop.core.aio;

/**
 * Timeout arithmetic where -1 means "infinite" (QEMU's {@code qemu_soonest_timeout} and
 * {@code qemu_timeout_ns_to_ms}).
 */
public final class Timeouts {
    private Timeouts() {
    }

    /**
     * @param a a timeout in ns, -1 = infinite
     * @param b a timeout in ns, -1 = infinite
     * @return the sooner one; as QEMU, an unsigned comparison makes -1 the largest value
     */
    public static long soonest(long a, long b) {
        return Long.compareUnsigned(a, b) <= 0 ? a : b;
    }

    /**
     * Converts to milliseconds, rounding <em>up</em> (QEMU: "better to wait too long than to wait too
     * little and effectively busy-wait"); capped at {@link Integer#MAX_VALUE}.
     *
     * @param ns a timeout in ns, -1 = infinite
     * @return -1, 0, or the rounded-up milliseconds
     */
    public static int nsToMs(long ns) {
        if (ns < 0) {
            return -1;
        }
        if (ns == 0) {
            return 0;
        }
        long ms = ns / 1_000_000L + (ns % 1_000_000L != 0 ? 1 : 0);
        return ms > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) ms;
    }

    /**
     * The deadline {@code delayNanos} after {@code now}, saturating at {@link Long#MAX_VALUE} ("never")
     * only on real overflow: a clock's origin is not specified, so {@code now} (and the result) may
     * be negative and still be an ordinary point in time.
     *
     * @param now        the clock's reading
     * @param delayNanos a delay, &gt;= 0
     * @return {@code now + delayNanos}, or {@link Long#MAX_VALUE} if that does not fit a long
     */
    public static long deadlineAfter(long now, long delayNanos) {
        long at = now + delayNanos;
        // delay >= 0, so the sum can only overflow upwards, and then it wraps below now
        return at < now ? Long.MAX_VALUE : at;
    }

    /**
     * The time left until {@code deadline}: 0 once it has passed, else {@code deadline - now},
     * saturating at {@link Long#MAX_VALUE}. A plain subtraction overflows when the two are more than
     * {@code Long.MAX_VALUE} apart (a saturated "never" deadline with a clock below zero) and would
     * come out negative; callers that map "&lt;= 0" to "expired" would then spin.
     *
     * @param deadline an absolute time on the clock
     * @param now      the clock's reading
     * @return 0 if {@code deadline <= now}, else the positive, saturated difference
     */
    public static long untilDeadline(long deadline, long now) {
        if (deadline <= now) {
            return 0;
        }
        long d = deadline - now;
        return d < 0 ? Long.MAX_VALUE : d; // deadline > now: negative only on overflow
    }
}
