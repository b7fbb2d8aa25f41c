package org.aioloop.api;

/**
 * The clocks timers run on (QEMU's {@code QEMUClockType}).
 */
public enum ClockType {
    /** Monotonic real time; always runs, also when the VIRTUAL clock is stopped. */
    REALTIME,
    /** Virtual (guest) time: monotonic, but stops while the machine is paused and resumes after. */
    VIRTUAL,
    /** Host wall-clock time; may jump when the host clock is set. */
    HOST
}
