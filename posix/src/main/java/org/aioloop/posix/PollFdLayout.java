package org.aioloop.posix;

/**
 * The layout of {@code struct pollfd} (8 bytes on every Linux ABI): {@code int fd},
 * {@code short events}, {@code short revents}.
 */
public final class PollFdLayout {
    /** {@code sizeof(struct pollfd)}. */
    public static final int SIZE = 8;
    /** Offset of {@code fd}. */
    public static final int FD_OFFSET = 0;
    /** Offset of {@code events}. */
    public static final int EVENTS_OFFSET = 4;
    /** Offset of {@code revents}. */
    public static final int REVENTS_OFFSET = 6;

    private PollFdLayout() {
    }
}
