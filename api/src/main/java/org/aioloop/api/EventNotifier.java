package org.aioloop.api;

/**
 * An fd that another thread can make readable to wake a loop (QEMU's {@code EventNotifier}):
 * an {@code eventfd}, or a non-blocking pipe pair where eventfd is missing.
 *
 * <p>{@link #set()} is safe from any thread and coalesces; {@link #testAndClear()} drains. Being an
 * fd, it is level-triggered: a handler registered for it must call {@link #testAndClear()} or it
 * runs again on every pass.
 */
public interface EventNotifier extends AutoCloseable {
    /**
     * @return the fd to poll for readability
     */
    int readFd();

    /**
     * Makes the notifier readable. A full counter or pipe (EAGAIN) counts as success: a read is
     * pending anyway.
     *
     * @throws ContextClosedException if the notifier is closed
     */
    void set();

    /**
     * Drains the notifier.
     *
     * @return whether it was set
     */
    boolean testAndClear();

    /**
     * Whether the read fd may be watched edge-triggered and never drained: every {@link #set()}
     * then makes it newly readable however many came before. True for an eventfd (its 64-bit
     * counter does not fill in practice); false for a pipe, which fills after 64 KiB and then drops
     * signals. A loop that knows this can skip the {@link #testAndClear()} system call per wakeup.
     *
     * @return whether {@link #set()} signals even when the notifier was never drained
     */
    default boolean edgeTriggerSafe() {
        return false;
    }

    /**
     * @return whether {@link #close()} was called
     */
    boolean isClosed();

    /** Closes the fds; idempotent. */
    @Override
    void close();
}
