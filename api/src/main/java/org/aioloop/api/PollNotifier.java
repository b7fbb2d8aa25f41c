package org.aioloop.api;

/**
 * Told around every main-loop wait (QEMU's {@code main_loop_poll_notifiers}), on the main loop's
 * thread.
 */
@FunctionalInterface
public interface PollNotifier {
    /**
     * @param phase FILL before the wait, OK or ERR after it
     * @param set   the wait set
     */
    void onPoll(PollPhase phase, PollSet set);
}
