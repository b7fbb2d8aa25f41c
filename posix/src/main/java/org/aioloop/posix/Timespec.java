package org.aioloop.posix;

/**
 * A reusable native {@code struct timespec} (16 bytes on 64-bit Linux: {@code tv_sec} at 0,
 * {@code tv_nsec} at 8) for the nanosecond timeouts of {@code ppoll} and {@code epoll_pwait2}.
 * One per waiting thread or monitor; not thread-safe.
 */
public final class Timespec implements AutoCloseable {
    /** {@code sizeof(struct timespec)} on LP64 Linux. */
    public static final int SIZE = 16;
    /** Offset of {@code tv_sec}. */
    public static final int TV_SEC_OFFSET = 0;
    /** Offset of {@code tv_nsec}. */
    public static final int TV_NSEC_OFFSET = 8;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private final NativeBuffer buffer = NativeBuffer.allocate(SIZE);

    /**
     * Stores a non-negative duration.
     *
     * @param nanos the duration in nanoseconds, &gt;= 0
     * @return this timespec's address
     */
    public long set(long nanos) {
        buffer.putLong(TV_SEC_OFFSET, nanos / NANOS_PER_SECOND);
        buffer.putLong(TV_NSEC_OFFSET, nanos % NANOS_PER_SECOND);
        return buffer.address();
    }

    /**
     * @return the stored duration in nanoseconds
     */
    public long nanos() {
        return buffer.getLong(TV_SEC_OFFSET) * NANOS_PER_SECOND + buffer.getLong(TV_NSEC_OFFSET);
    }

    /**
     * @return the native address
     */
    public long address() {
        return buffer.address();
    }

    /** Frees the native memory; idempotent. */
    @Override
    public void close() {
        buffer.close();
    }
}
