package org.aioloop.plugin.stream;

import java.nio.ByteBuffer;

/**
 * What a {@link StreamServer}'s clients' bytes mean. Every method runs on the context's home thread.
 */
public interface StreamProtocol {
    /**
     * A client connected.
     *
     * @param client the client
     */
    void onOpen(StreamClient client);

    /**
     * Bytes arrived.
     *
     * @param client the client
     * @param data   the bytes between position and limit; valid only during the call (the buffer is
     *               reused for the next read)
     */
    void onData(StreamClient client, ByteBuffer data);

    /**
     * The client is gone (peer hang-up, error, limit, or the server stopped); its fd is closed.
     *
     * @param client the client
     * @param reason why, for logs
     */
    void onClose(StreamClient client, String reason);

    /**
     * How many bytes the client may be read now: 0 stops reading (and so, through the socket's
     * receive window, the peer) until the server asks again. Called before every read and after
     * output drains. The default reads only while all pending output fits in the output buffer.
     *
     * @param client the client
     * @return the most bytes to read now
     */
    default int readAllowance(StreamClient client) {
        return client.hasOverflow() ? 0 : client.outputFree();
    }

    /**
     * What a connection beyond {@code maxClients} is told before it is closed.
     *
     * @return one line, with its newline
     */
    default String rejectMessage() {
        return "error: too many clients\n";
    }

    /**
     * The client's output buffer has drained completely (called after a write made it empty).
     *
     * @param client the client
     */
    default void onDrained(StreamClient client) {
    }
}
