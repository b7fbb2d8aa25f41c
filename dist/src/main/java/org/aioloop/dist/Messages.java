package org.aioloop.dist;

import java.io.PrintStream;

/**
 * The launcher's own voice: every line on stderr, prefixed {@code aioloop: }, so that stdout carries
 * only command output and scripts can capture it. Errors are never suppressed; {@code --quiet}
 * silences only the informational lines.
 */
final class Messages {
    private final PrintStream err;
    private final boolean quiet;

    Messages(PrintStream err, boolean quiet) {
        this.err = err;
        this.quiet = quiet;
    }

    void info(String line) {
        if (!quiet) {
            err.println("aioloop: " + line);
            err.flush();
        }
    }

    void error(String line) {
        err.println("aioloop: " + line);
        err.flush();
    }
}
