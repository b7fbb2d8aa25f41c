package org.aioloop.api;

/**
 * A read, write or poll-ready callback of an fd handler (QEMU's {@code IOHandler}).
 *
 * <p>Runs on the context's home thread, during dispatch. It may register, replace or delete any
 * handler (its own included), schedule bottom halves, arm timers, and even call
 * {@link AioContext#poll(boolean)} (a nested loop). Exceptions it throws are caught, reported and
 * isolated: they never stop the loop.
 */
@FunctionalInterface
public interface FdCallback {
    /**
     * Called when the fd is ready.
     *
     * @param fd      the fd the handler was registered for
     * @param revents the ready events ({@link IoEvents} bits); 0 for a poll-ready call
     */
    void onReady(int fd, int revents);
}
