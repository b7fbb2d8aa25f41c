package org.aioloop.api;

/**
 * The moments a {@link PollNotifier} is told about (QEMU's {@code MainLoopPollState}).
 */
public enum PollPhase {
    /** Before the wait: add fds, lower the timeout. */
    FILL,
    /** After a successful wait: read the results. */
    OK,
    /** After a failed wait. */
    ERR
}
