package org.aioloop.bench.peer;

import java.util.concurrent.CompletableFuture;

/**
 * A running event loop of one {@link Peer}, seen through the few operations the scenarios need.
 * Every operation uses the peer's own normal API (its cross-thread task submission, its fd
 * registration, its timers), never a shortcut around the loop.
 */
public interface BenchLoop extends AutoCloseable {
    /**
     * Runs {@code task} on the loop thread and waits until it has run.
     *
     * @param task the task
     * @throws IllegalStateException if it did not run within 30 s, or threw (the cause is attached)
     */
    void runSync(Runnable task);

    /**
     * Binds {@code task} to the loop's cross-thread wakeup path: {@link Trigger#fire()} (any thread)
     * makes the loop run it once. For aioloop this is a bottom half, for the others
     * {@code execute(task)}.
     *
     * @param task what the loop runs
     * @return the trigger
     */
    Trigger newTrigger(Runnable task);

    /**
     * Opens a non-blocking pipe in this peer's own fd world (raw fds for native peers, a
     * {@link java.nio.channels.Pipe} for NIO peers). The caller closes it.
     *
     * @return the pipe, not watched yet
     * @throws Exception if the pipe cannot be opened
     */
    BenchPipe openPipe() throws Exception;

    /**
     * Watches the read end of {@code pipe}, level-triggered: {@code onReadable} runs on the loop
     * thread for every wait that finds it readable. Any thread; returns once registered.
     *
     * @param pipe       a pipe from {@link #openPipe()}
     * @param onReadable the callback
     * @return closing it unregisters (the pipe stays open)
     * @throws Exception if the registration fails
     */
    AutoCloseable watchReadable(BenchPipe pipe, Runnable onReadable) throws Exception;

    /**
     * Opens {@code count} fds that never become ready (one fd each) and registers them for reading.
     *
     * @param count how many
     * @return closing it unregisters and closes them all
     * @throws Exception if they cannot be opened or registered
     */
    AutoCloseable registerIdleFds(int count) throws Exception;

    /**
     * Schedules a one-shot timer. Called on the loop thread.
     *
     * @param deadlineNanoTime the deadline on the {@link System#nanoTime()} scale
     * @param task             run on the loop thread at or after the deadline
     */
    void scheduleAt(long deadlineNanoTime, Runnable task);

    /**
     * Starts a TCP echo server on 127.0.0.1, served by this loop's thread only.
     *
     * @return the server; closing it closes the listener and every connection
     * @throws Exception if it cannot bind
     */
    EchoServer startEchoServer() throws Exception;

    /**
     * Switches the fd-monitoring backend live (aioloop only).
     *
     * @param backend {@code "poll"} or {@code "epoll"}
     * @return completes with the backend in use after the switch
     * @throws UnsupportedOperationException if the peer cannot
     */
    default CompletableFuture<String> switchBackend(String backend) {
        throw new UnsupportedOperationException("live backend switch");
    }

    /**
     * @return the fd-monitoring backend in use now, or null if the peer has no such notion
     */
    default String backendName() {
        return null;
    }

    /**
     * @return the longest the loop stopped between two passes for backend-switch work, in ns, or -1
     *         if the peer cannot switch
     */
    default long longestSwitchStallNanos() {
        return -1;
    }

    /**
     * @return the number of fds registered with the loop now, or -1 if the peer cannot tell
     */
    default int registeredFdCount() {
        return -1;
    }

    /** Stops the loop and its thread and releases what it opened. */
    @Override
    void close();
}
