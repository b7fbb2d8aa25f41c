package org.aioloop.api;

/**
 * An fd a source asked its {@link MainContext} to poll ({@code g_source_add_unix_fd}); the result
 * of the last wait is in {@link #revents()}.
 */
public interface PollFd {
    /**
     * @return the fd
     */
    int fd();

    /**
     * @return the interest mask ({@link IoEvents})
     */
    int events();

    /**
     * @return the ready events from the last wait, 0 if none or not polled
     */
    int revents();
}
