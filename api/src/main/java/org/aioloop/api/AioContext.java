package org.aioloop.api;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * QEMU's {@code AioContext}: fd handlers, bottom halves, timers and an event notifier that wakes the
 * loop, with one home thread that runs them.
 *
 * <h2>Threading</h2>
 * <ul>
 * <li>Any thread: {@link #setFdHandler}, {@link #removeFdHandler}, {@link #setEventNotifier},
 *     {@link #newBottomHalf}, {@link #scheduleOneshot}, {@link #execute}, {@link #newTimer}, timer
 *     arming, {@link #kick()}, {@link #switchBackend}, {@link #stats()}.</li>
 * <li>Home thread only, else {@link WrongThreadException}: {@link #poll(boolean)} and
 *     {@link #submitBlocking(Callable)}. The home thread is the first thread that calls
 *     {@code poll} (or the one that drives the context as a source), unless fixed at creation.</li>
 * </ul>
 *
 * <h2>One pass</h2>
 * A pass runs bottom halves, then ready fd handlers, then expired timers. Wakeups follow QEMU's
 * {@code notify_me}/{@code notified} handshake: {@link #kick()} writes the eventfd only when the loop
 * may be asleep, and no wakeup is lost.
 *
 * <h2>Errors</h2>
 * A callback that throws is caught and reported (see {@link #setErrorHandler}); the loop keeps
 * running and nothing registered is lost. Operations on a closed context throw
 * {@link ContextClosedException}.
 */
public interface AioContext extends Executor, AutoCloseable {
    /** Name of the main loop's AioContext ({@code qemu_aio_context}). */
    String MAIN = "main";
    /** Name of the main loop's iohandler context, never run by a nested {@code poll} of MAIN. */
    String IOHANDLER = "iohandler";

    /**
     * @return the context's name (unique in a host, e.g. {@code "main"}, an IOThread's id)
     */
    String name();

    /**
     * @return the home thread, or null if none has run the context yet
     */
    Thread homeThread();

    /**
     * @return whether the caller is the home thread
     */
    boolean inHomeThread();

    /**
     * Runs one pass, waiting first if {@code blocking} and there is nothing to do (QEMU's
     * {@code aio_poll}). Nested calls from callbacks are allowed.
     *
     * @param blocking whether to wait for an event
     * @return progress: true if a non-idle bottom half, an fd or poll-ready callback (other than the
     *         context's own notifier) or a timer callback ran. A blocking call returns false only when
     *         woken by {@link #kick()} (or a registration change) with nothing else to do.
     * @throws WrongThreadException   if called from a thread other than the home thread
     * @throws ContextClosedException if the context is closed
     */
    boolean poll(boolean blocking);

    /**
     * Wakes the loop if it is waiting, or makes its next wait return at once (QEMU's
     * {@code aio_notify}). Any thread; cheap when the loop is not asleep.
     */
    void kick();

    /**
     * Registers or replaces the handler of {@code fd} (QEMU's {@code aio_set_fd_handler}). Interest
     * is IN|HUP|ERR if {@code read} is set, plus OUT|ERR if {@code write} is set. A replaced handler's
     * callbacks are never called after this returns on the home thread (or after the next pass
     * starts, from another thread). Kicks the loop.
     *
     * @param fd    an open fd
     * @param read  called when readable, or null
     * @param write called when writable, or null
     * @throws InvalidFdException     if {@code fd} is negative, or both callbacks are null (use
     *                                {@link #removeFdHandler(int)})
     * @throws ContextClosedException if the context is closed
     */
    default void setFdHandler(int fd, FdCallback read, FdCallback write) {
        setFdHandler(fd, read, write, null, null);
    }

    /**
     * Registers or replaces a handler with busy-poll callbacks (QEMU's {@code aio_set_fd_handler}
     * with {@code io_poll} and {@code io_poll_ready}). {@code poll} without {@code pollReady} is
     * ignored, as in QEMU.
     *
     * @param fd        an open fd
     * @param read      called when readable, or null
     * @param write     called when writable, or null
     * @param poll      cheap readiness check for busy polling, or null
     * @param pollReady called when {@code poll} found work, or null
     * @throws InvalidFdException     if {@code fd} is negative or no callback is given
     * @throws ContextClosedException if the context is closed
     */
    void setFdHandler(int fd, FdCallback read, FdCallback write, PollCallback poll, FdCallback pollReady);

    /**
     * Removes the handler of {@code fd}; deferred safely when called during dispatch. Unknown fds are
     * a no-op (as QEMU).
     *
     * @param fd an fd
     * @return whether a handler was registered
     */
    boolean removeFdHandler(int fd);

    /**
     * Attaches an event notifier as a read handler (QEMU's {@code aio_set_event_notifier}); the
     * callback must call {@link EventNotifier#testAndClear()}.
     *
     * @param notifier the notifier
     * @param onSet    called when the notifier is set
     */
    default void setEventNotifier(EventNotifier notifier, FdCallback onSet) {
        setFdHandler(notifier.readFd(), onSet, null);
    }

    /**
     * Detaches an event notifier.
     *
     * @param notifier the notifier
     * @return whether it was attached
     */
    default boolean removeEventNotifier(EventNotifier notifier) {
        return removeFdHandler(notifier.readFd());
    }

    /**
     * Creates a bottom half; nothing is scheduled yet (QEMU's {@code aio_bh_new}).
     *
     * @param name     for diagnostics
     * @param callback run on the home thread
     * @return the bottom half
     * @throws NullPointerException   if {@code callback} is null
     * @throws ContextClosedException if the context is closed
     */
    BottomHalf newBottomHalf(String name, Runnable callback);

    /**
     * Runs {@code callback} once on the home thread in a coming pass (QEMU's
     * {@code aio_bh_schedule_oneshot}): the way to call into a context from another thread.
     *
     * @param callback run once
     * @throws ContextClosedException if the context is closed
     */
    void scheduleOneshot(Runnable callback);

    /**
     * Same as {@link #scheduleOneshot(Runnable)}.
     *
     * @param command run once on the home thread
     */
    @Override
    default void execute(Runnable command) {
        scheduleOneshot(command);
    }

    /**
     * Creates a disarmed timer on one of the context's clocks (QEMU's {@code aio_timer_new}).
     *
     * @param clock    the clock
     * @param name     for diagnostics
     * @param callback run on the home thread when the timer expires
     * @return the timer
     * @throws ContextClosedException if the context is closed
     */
    Timer newTimer(ClockType clock, String name, Runnable callback);

    /**
     * @return the clocks this context's timers run on
     */
    ClockSource clocks();

    /**
     * Runs blocking {@code work} on the context's thread pool and completes the returned future on
     * the home thread (QEMU's {@code thread_pool_submit_aio}). Cancelling the future succeeds only
     * while the work is still queued.
     *
     * @param work the blocking work
     * @param <T>  its result type
     * @return completed on the home thread with the result or failure
     * @throws WrongThreadException   if not called on the home thread
     * @throws ContextClosedException if the context or its pool is closed
     */
    <T> CompletableFuture<T> submitBlocking(Callable<T> work);

    /**
     * @return the name of the backend the context is on now
     */
    String backendName();

    /**
     * Switches the fd-monitoring backend while the context runs: every live registration is replayed
     * into a new monitor between two passes on the home thread. Readiness is level-triggered, so no
     * event is lost. If the new backend fails the context stays on the old one. Any thread.
     *
     * @param backend a backend name
     * @return completes (on the home thread) with the backend in use after the attempt, or
     *         exceptionally with {@link BackendUnavailableException} saying why it stayed
     */
    CompletableFuture<String> switchBackend(String backend);

    /**
     * Sets the adaptive busy-polling parameters. Any thread; applied in the next pass.
     *
     * @param params the parameters
     */
    void setPollParams(PollParams params);

    /**
     * @return the current busy-polling parameters
     */
    PollParams pollParams();

    /**
     * Sets what is told when a callback throws. The default logs to {@link System.Logger}.
     *
     * @param handler receives the failing callback's owner name and the exception
     */
    void setErrorHandler(CallbackErrorHandler handler);

    /**
     * @return a snapshot of the counters (allocates; not for the hot path)
     */
    ContextStats stats();

    /**
     * @return a snapshot of what is registered, for shells and monitors (allocates)
     */
    ContextSnapshot snapshot();

    /**
     * @return whether {@link #close()} was called
     */
    boolean isClosed();

    /**
     * Destroys the context: deletes its bottom halves and timers, removes its handlers (fds are not
     * closed), closes its notifier, monitor and pool. Idempotent.
     */
    @Override
    void close();
}
