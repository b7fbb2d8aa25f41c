package org.aioloop.plugin.stream;

import java.nio.ByteBuffer;

/**
 * Splits a byte stream into lines ending in {@code \n} (a trailing {@code \r} is dropped), each at
 * most {@code maxLineBytes} long. A line that grows longer is reported once through
 * {@link Sink#onOversize()} when it crosses the limit, and the rest of it, up to its newline, is
 * discarded: a client cannot make the server hold more than {@code maxLineBytes} of a line. A partial
 * line stays buffered across reads, so slow clients cost at most that much. Allocation-free; one
 * framer per client; not thread-safe.
 */
public final class LineFramer {
    /** Receives lines. */
    public interface Sink {
        /**
         * A complete line.
         *
         * @param line the framer's buffer; bytes {@code [0, length)} are the line, valid only during
         *             the call
         * @param length the line's length without the line end
         */
        void onLine(byte[] line, int length);

        /** A line crossed the limit; the rest of it up to the next newline is dropped. */
        void onOversize();
    }

    private final byte[] line;
    private int length;
    private boolean discarding;

    /**
     * @param maxLineBytes the longest line accepted, without its line end
     */
    public LineFramer(int maxLineBytes) {
        this.line = new byte[maxLineBytes];
    }

    /**
     * Consumes every byte between {@code data}'s position and limit.
     *
     * @param data the bytes read
     * @param sink told about complete and oversized lines
     */
    public void feed(ByteBuffer data, Sink sink) {
        while (data.hasRemaining()) {
            byte b = data.get();
            if (b == '\n') {
                if (discarding) {
                    discarding = false;
                } else {
                    int n = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
                    length = 0;
                    sink.onLine(line, n);
                }
            } else if (!discarding) {
                if (length == line.length) {
                    discarding = true;
                    length = 0;
                    sink.onOversize();
                } else {
                    line[length++] = b;
                }
            }
        }
    }

    /**
     * @return bytes of an unfinished line held now
     */
    public int partialLength() {
        return length;
    }

    /**
     * @return the longest line accepted
     */
    public int maxLineBytes() {
        return line.length;
    }
}
