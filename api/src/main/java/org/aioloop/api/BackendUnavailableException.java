package org.aioloop.api;

/**
 * A poll backend was asked for by name but is not installed, not available on this system, or
 * failed to open a monitor.
 */
public class BackendUnavailableException extends AioException {
    private static final long serialVersionUID = 1L;
    private final String backend;

    /**
     * @param backend the backend's name
     * @param reason  why it cannot be used
     */
    public BackendUnavailableException(String backend, String reason) {
        super("poll backend '" + backend + "' is unavailable: " + reason);
        this.backend = backend;
    }

    /**
     * @param backend the backend's name
     * @param reason  why it cannot be used
     * @param cause   the underlying failure
     */
    public BackendUnavailableException(String backend, String reason, Throwable cause) {
        super("poll backend '" + backend + "' is unavailable: " + reason, cause);
        this.backend = backend;
    }

    /**
     * @return the backend's name
     */
    public String backend() {
        return backend;
    }
}
