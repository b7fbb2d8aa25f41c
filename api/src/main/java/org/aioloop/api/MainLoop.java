package org.aioloop.api;

/**
 * QEMU's main loop: a {@link MainContext} with the main {@link AioContext} and the iohandler
 * context attached as sources, poll notifiers, and main-loop timers. One iteration is
 * {@link #mainLoopWait(boolean)} ({@code main_loop_wait}).
 */
public interface MainLoop {
    /**
     * @return the main context the loop iterates
     */
    MainContext mainContext();

    /**
     * @return the main AioContext ({@code qemu_aio_context})
     */
    AioContext aioContext();

    /**
     * @return the iohandler context ({@code iohandler_ctx}): its handlers never run inside a nested
     *         {@code poll} of {@link #aioContext()}
     */
    AioContext iohandlerContext();

    /**
     * One iteration: poll notifiers FILL; the timeout is the soonest of theirs, the main-loop timers'
     * and the sources'; one wait; notifiers OK/ERR; check and dispatch; then the main-loop timers.
     *
     * @param nonblocking whether to skip waiting
     * @return whether anything was dispatched or a main-loop timer ran
     */
    boolean mainLoopWait(boolean nonblocking);

    /**
     * Iterates until {@link #quit()}; the calling thread becomes the loop's thread.
     */
    void run();

    /** Makes {@link #run()} return after the current iteration. Any thread. */
    void quit();

    /**
     * @return whether {@link #run()} is running
     */
    boolean isRunning();

    /**
     * @param notifier added; told around every wait
     */
    void addPollNotifier(PollNotifier notifier);

    /**
     * @param notifier removed
     * @return whether it was present
     */
    boolean removePollNotifier(PollNotifier notifier);

    /**
     * Creates a main-loop timer ({@code main_loop_tlg}): run after dispatch in each iteration.
     *
     * @param clock    the clock
     * @param name     for diagnostics
     * @param callback run on the loop's thread
     * @return the timer
     */
    Timer newTimer(ClockType clock, String name, Runnable callback);
}
