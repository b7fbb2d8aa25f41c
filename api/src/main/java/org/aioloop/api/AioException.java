package org.aioloop.api;

/**
 * The root of aioloop's typed errors. Every subclass names what is wrong (an fd, a handler, a
 * configuration key, a backend). An operation that throws leaves everything registered before it
 * intact.
 */
public class AioException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, naming the fd, handler or key at fault
     */
    public AioException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong
     * @param cause   the underlying failure
     */
    public AioException(String message, Throwable cause) {
        super(message, cause);
    }
}
