package org.aioloop.posix;

import org.aioloop.api.EventNotifier;
import org.aioloop.api.NativeCallException;

/**
 * Creates {@link EventNotifier}s: an eventfd when the kernel has it, else a non-blocking pipe pair
 * (only on {@code ENOSYS}, as QEMU's {@code event_notifier_init}; any other failure is an error).
 *
 * <p>The notifiers' {@code set()} is safe from any thread, coalesces, treats a full counter or pipe
 * ({@code EAGAIN}) as success and allocates nothing; {@code testAndClear()} drains;
 * {@code close()} is idempotent and waits for concurrent {@code set()} calls to leave the fd before
 * closing it, so a late {@code set()} never writes to a reused fd number: it throws
 * {@link org.aioloop.api.ContextClosedException} instead.
 */
public final class EventNotifiers {
    private EventNotifiers() {
    }

    /**
     * @return a new notifier on {@code eventfd(0, EFD_NONBLOCK|EFD_CLOEXEC)}, or on a pipe where
     *         eventfd is not implemented
     * @throws NativeCallException if neither could be created (e.g. {@code EMFILE})
     */
    public static EventNotifier create() {
        int fd;
        try {
            fd = Posix.eventfd(0, Posix.EFD_NONBLOCK | Posix.EFD_CLOEXEC);
        } catch (NativeCallException e) {
            if (e.errno() == Errno.ENOSYS) {
                return createPipe();
            }
            throw e;
        }
        return new EventFdNotifier(fd);
    }

    /**
     * @return a new notifier on a non-blocking, close-on-exec pipe pair (the fallback; for tests)
     * @throws NativeCallException if the pipe could not be created
     */
    public static EventNotifier createPipe() {
        int[] fds = Posix.pipe2(Posix.O_NONBLOCK | Posix.O_CLOEXEC);
        return new PipeNotifier(fds[0], fds[1]);
    }
}
