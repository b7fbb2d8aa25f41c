package org.aioloop.api;

/**
 * The main loop's wait set as a {@link PollNotifier} sees it (QEMU's {@code MainLoopPoll}): during
 * FILL a notifier adds fds and may lower the timeout; during OK it reads their results. Valid only
 * during the call.
 */
public interface PollSet {
    /**
     * Adds an fd to this iteration's wait (FILL only).
     *
     * @param fd     an open fd
     * @param events interest mask
     * @return the index to read {@link #revents(int)} at in the OK phase
     */
    int add(int fd, int events);

    /**
     * Lowers this iteration's timeout (FILL only); a larger value has no effect.
     *
     * @param nanos a timeout in nanoseconds, &gt;= 0
     */
    void lowerTimeoutNanos(long nanos);

    /**
     * @return the timeout in nanoseconds, -1 for infinite
     */
    long timeoutNanos();

    /**
     * @param index an index returned by {@link #add}
     * @return the ready events of that fd after the wait
     */
    int revents(int index);
}
