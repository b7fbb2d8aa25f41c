package org.aioloop.dist;

/**
 * A start-up error the launcher cannot continue after (no bundles directory, no framework, a
 * framework that refuses to start). The message is printed as is, so it says what is wrong and
 * what to do.
 */
public class LaunchException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int exitStatus;

    /**
     * @param message what went wrong, a full sentence for the user
     */
    public LaunchException(String message) {
        this(message, ExitStatus.STARTUP_FAILED, null);
    }

    /**
     * @param message what went wrong, a full sentence for the user
     * @param cause   the underlying error
     */
    public LaunchException(String message, Throwable cause) {
        this(message, ExitStatus.STARTUP_FAILED, cause);
    }

    /**
     * @param message    what went wrong
     * @param exitStatus the process exit code to end with (see {@link ExitStatus})
     * @param cause      the underlying error, or null
     */
    public LaunchException(String message, int exitStatus, Throwable cause) {
        super(message, cause);
        this.exitStatus = exitStatus;
    }

    /**
     * @return the process exit code to end with
     */
    public int exitStatus() {
        return exitStatus;
    }
}
