package org.aioloop.bench.peer;

/**
 * A loopback TCP echo server running on one loop thread (S5, S6).
 */
public interface EchoServer extends AutoCloseable {
    /**
     * @return the bound port on 127.0.0.1
     */
    int port();

    /** Closes the listener and every accepted connection. */
    @Override
    void close();
}
