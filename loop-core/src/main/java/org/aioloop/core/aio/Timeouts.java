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
}
