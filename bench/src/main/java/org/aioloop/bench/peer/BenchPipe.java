package org.aioloop.bench.peer;

/**
 * A non-blocking pipe in one peer's fd world (see {@link BenchLoop#openPipe()}). Single-byte
 * operations only: the scenarios use a pipe as a readiness signal, not for data.
 */
public interface BenchPipe extends AutoCloseable {
    /**
     * Writes one byte to the write end. Any thread.
     *
     * @throws java.io.UncheckedIOException if the write fails or would block
     */
    void writeByte();

    /**
     * Reads at most one byte from the read end without blocking.
     *
     * @return whether a byte was read
     */
    boolean readByte();

    /** Closes both ends; idempotent. */
    @Override
    void close();
}
