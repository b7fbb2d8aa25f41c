package org.aioloop.api;

/**
 * An fd argument is unusable: negative, closed, or not a kind the backend can monitor.
 */
public class InvalidFdException extends AioException {
    private static final long serialVersionUID = 1L;
    private final int fd;

    /**
     * @param fd     the fd at fault
     * @param reason why it is unusable
     */
    public InvalidFdException(int fd, String reason) {
        super("fd " + fd + ": " + reason);
        this.fd = fd;
    }

    /**
     * @param fd     the fd at fault
     * @param reason why it is unusable
     * @param cause  the underlying failure
     */
    public InvalidFdException(int fd, String reason, Throwable cause) {
        super("fd " + fd + ": " + reason, cause);
        this.fd = fd;
    }

    /**
     * @return the fd at fault
     */
    public int fd() {
        return fd;
    }
}
