package org.aioloop.api;

/**
 * An attached {@link EventSource}'s place in its {@link MainContext} ({@code GSource*}). Setters,
 * {@link #destroy()} and fd changes are safe from any thread and wake the context.
 */
public interface SourceHandle {
    /**
     * @return the name given at attach
     */
    String name();

    /**
     * @return the source's priority; smaller runs first
     */
    int priority();

    /**
     * @return the context it is attached to
     */
    MainContext context();

    /**
     * While a source without can-recurse is dispatched, a nested iteration neither polls nor
     * dispatches it ({@code g_source_set_can_recurse}). AioContext sources are can-recurse.
     *
     * @param canRecurse whether nested iterations still process this source
     */
    void setCanRecurse(boolean canRecurse);

    /**
     * @return whether the source can recurse
     */
    boolean canRecurse();

    /**
     * Makes the source ready at a time on the context's clock (REALTIME nanoseconds); 0 for at
     * once, -1 for never. Dispatch does not reset it ({@code g_source_set_ready_time}).
     *
     * @param nanos the ready time
     */
    void setReadyTimeNanos(long nanos);

    /**
     * @return the ready time, -1 when unset
     */
    long readyTimeNanos();

    /**
     * Adds an fd to the context's wait ({@code g_source_add_unix_fd}).
     *
     * @param fd     an open fd
     * @param events interest mask
     * @return the poll record; read its {@link PollFd#revents()} in check
     * @throws InvalidFdException if {@code fd} is negative or {@code events} is 0
     */
    PollFd addPollFd(int fd, int events);

    /**
     * Removes an fd added with {@link #addPollFd}; no effect if already removed or destroyed.
     *
     * @param pollFd the record
     */
    void removePollFd(PollFd pollFd);

    /**
     * Destroys the source: it will not be prepared, checked or dispatched again, and
     * {@link EventSource#onDestroy} runs once. Safe from any thread and from its own dispatch;
     * idempotent.
     */
    void destroy();

    /**
     * @return whether the source was destroyed
     */
    boolean isDestroyed();
}
