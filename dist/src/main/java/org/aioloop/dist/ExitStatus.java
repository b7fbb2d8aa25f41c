package org.aioloop.dist;

/**
 * The launcher's process exit codes, documented in {@code docs/distribution.md}. A signal
 * (Ctrl-C, SIGTERM) ends the JVM with the usual 128 + signal number instead.
 */
public final class ExitStatus {
    /** Everything started and every command succeeded. */
    public static final int OK = 0;
    /** A command given with {@code -c} or on stdin failed. */
    public static final int COMMAND_FAILED = 1;
    /** The command line was wrong. */
    public static final int USAGE = 2;
    /** The host could not start, or a bundle failed to install, resolve or start. */
    public static final int STARTUP_FAILED = 3;

    private ExitStatus() {
    }
}
