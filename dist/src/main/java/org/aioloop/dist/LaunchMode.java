package org.aioloop.dist;

/** How the launcher talks to the user once the bundles are started. */
public enum LaunchMode {
    /** The Gogo console on the terminal; ends with {@code stop 0}, Ctrl-D or a signal. */
    INTERACTIVE,
    /** Runs the commands given with {@code -c} or on stdin, then stops the host and exits. */
    SCRIPT,
    /** No console: runs until SIGTERM, Ctrl-C or a {@code stop 0} from elsewhere (a service). */
    DAEMON
}
