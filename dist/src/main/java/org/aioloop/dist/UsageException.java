package org.aioloop.dist;

/** A command-line mistake; the launcher prints it with the usage text and exits with {@link ExitStatus#USAGE}. */
public final class UsageException extends LaunchException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is wrong with the command line
     */
    public UsageException(String message) {
        super(message, ExitStatus.USAGE, null);
    }
}
