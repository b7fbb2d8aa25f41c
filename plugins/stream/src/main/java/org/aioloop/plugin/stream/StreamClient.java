package org.aioloop.plugin.stream;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.aioloop.api.AioContext;
import org.aioloop.api.FdCallback;
import org.aioloop.api.NativeCallException;
import org.aioloop.posix.NativeBuffer;
import org.aioloop.posix.Posix;

/**
 * One connected client of a {@link StreamServer}: a non-blocking socket with a pooled input buffer
 * and a bounded, pooled output buffer.
 *
 * <p>The fd handler asks for readability only while the protocol allows reading
 * ({@link StreamProtocol#readAllowance}) and for writability only while output is pending, as
 * QEMU's chardev does with its write watch: an idle client costs nothing per pass, and a client
 * whose output buffer is full is not read from until its peer takes the output (backpressure that
 * reaches the peer through the socket's receive window). Output is written at once when queued, so
 * write interest is needed only when the socket buffer is full. Reads and writes allocate nothing.
 *
 * <p>Home thread only, like everything the loop calls.
 */
public final class StreamClient {
    private static final int NONE = 0;
    private static final int READ = 1;
    private static final int WRITE = 2;

    private final StreamServer server;
    private final AioContext context;
    private final StreamProtocol protocol;
    private final int fd;
    private final long id;
    private final NativeBuffer input;
    private final ByteBuffer inputView;
    private final NativeBuffer output;
    private final ByteBuffer outputView;   // write mode: position = bytes pending from index 0
    private final FdCallback readCallback = this::onReadable;
    private final FdCallback writeCallback = this::onWritable;
    private byte[] overflow;               // output beyond the buffer (rare; protocol replies only)
    private int overflowStart;
    private int registered = NONE;
    private boolean inCallback;
    private boolean closed;
    private String closeWhenFlushed;       // set: close once the output has been written
    private long bytesIn;
    private long bytesOut;
    private Object attachment;
    int index;                             // slot in the server's client list

    StreamClient(StreamServer server, AioContext context, StreamProtocol protocol, int fd, long id,
            NativeBuffer input, NativeBuffer output) {
        this.server = server;
        this.context = context;
        this.protocol = protocol;
        this.fd = fd;
        this.id = id;
        this.input = input;
        this.inputView = input.bytes().duplicate();
        this.output = output;
        this.outputView = output.bytes().duplicate();
        this.outputView.clear();
    }

    void open() {
        inCallback = true;
        try {
            protocol.onOpen(this);
        } finally {
            inCallback = false;
        }
        if (!closed) {
            flushAndUpdate();
        }
    }

    /**
     * @return the client's number in its server (1, 2, ...)
     */
    public long id() {
        return id;
    }

    /**
     * @return the socket fd (for diagnostics)
     */
    public int fd() {
        return fd;
    }

    /**
     * @return free bytes in the output buffer
     */
    public int outputFree() {
        return outputView.capacity() - outputView.position();
    }

    /**
     * @return bytes queued and not yet written, overflow included
     */
    public int outputPending() {
        return outputView.position() + (overflow == null ? 0 : overflow.length - overflowStart);
    }

    /**
     * @return whether output beyond the bounded buffer is queued (a reply larger than the free space)
     */
    public boolean hasOverflow() {
        return overflow != null;
    }

    /**
     * @return whether the client is closed
     */
    public boolean isClosed() {
        return closed;
    }

    /**
     * @return whether the client is closed or closes once its output is written
     */
    public boolean isClosing() {
        return closed || closeWhenFlushed != null;
    }

    /**
     * Stops reading and closes the client once its pending output has been written (a reply, then
     * goodbye). Closes at once if nothing is pending.
     *
     * @param reason why, for logs
     */
    public void closeWhenFlushed(String reason) {
        if (closed || closeWhenFlushed != null) {
            return;
        }
        closeWhenFlushed = reason;
        if (!inCallback) {
            flushAndUpdate();
        }
    }

    /**
     * @return bytes read from the client
     */
    public long bytesIn() {
        return bytesIn;
    }

    /**
     * @return bytes written to the client
     */
    public long bytesOut() {
        return bytesOut;
    }

    /**
     * @param value protocol state to keep with the client
     */
    public void attach(Object value) {
        this.attachment = value;
    }

    /**
     * @return the protocol state kept with the client, or null
     */
    public Object attachment() {
        return attachment;
    }

    /**
     * Queues the bytes between {@code src}'s position and limit (and advances its position). What
     * does not fit in the output buffer is kept as overflow, and the protocol's default
     * {@link StreamProtocol#readAllowance} stops reading until it is written.
     *
     * @param src the bytes
     */
    public void send(ByteBuffer src) {
        if (closed) {
            src.position(src.limit());
            return;
        }
        int fit = Math.min(src.remaining(), overflow == null ? outputFree() : 0);
        if (fit > 0) {
            int limit = src.limit();
            src.limit(src.position() + fit);
            outputView.put(src);
            src.limit(limit);
        }
        if (src.hasRemaining()) {
            byte[] rest = new byte[src.remaining()];
            src.get(rest);
            appendOverflow(rest, 0, rest.length);
        }
        afterSend();
    }

    /**
     * Queues bytes, as {@link #send(ByteBuffer)}.
     *
     * @param bytes the bytes
     * @param off   where they start
     * @param len   how many
     */
    public void send(byte[] bytes, int off, int len) {
        if (closed) {
            return;
        }
        int fit = Math.min(len, overflow == null ? outputFree() : 0);
        outputView.put(bytes, off, fit);
        if (fit < len) {
            appendOverflow(bytes, off + fit, len - fit);
        }
        afterSend();
    }

    /**
     * Queues a string as UTF-8.
     *
     * @param text the text
     */
    public void send(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        send(b, 0, b.length);
    }

    private void appendOverflow(byte[] bytes, int off, int len) {
        if (overflow == null) {
            overflow = java.util.Arrays.copyOfRange(bytes, off, off + len);
            overflowStart = 0;
        } else {
            int kept = overflow.length - overflowStart;
            byte[] grown = new byte[kept + len];
            System.arraycopy(overflow, overflowStart, grown, 0, kept);
            System.arraycopy(bytes, off, grown, kept, len);
            overflow = grown;
            overflowStart = 0;
        }
    }

    private void afterSend() {
        if (!inCallback) {
            flushAndUpdate(); // sent from outside this client's callbacks (e.g. an async reply)
        }
    }

    /**
     * Closes the client: removes its handler, closes the fd, returns its buffers and tells the
     * protocol. Idempotent; safe from the client's own callbacks.
     *
     * @param reason why, for logs
     */
    public void close(String reason) {
        if (closed) {
            return;
        }
        closed = true;
        if (registered != NONE) {
            context.removeFdHandler(fd);
            registered = NONE;
        }
        try {
            Posix.close(fd);
        } catch (NativeCallException e) {
            // the fd is released by the kernel even when close reports an error
        }
        overflow = null;
        server.clientClosed(this, input, output);
        protocol.onClose(this, reason);
    }

    private void onReadable(int fd, int revents) {
        if (closed) {
            return;
        }
        int allowance = closeWhenFlushed != null ? 0 : Math.min(protocol.readAllowance(this), inputView.capacity());
        if (allowance <= 0) {
            updateInterest();
            return;
        }
        long n;
        try {
            n = Posix.read(fd, input.address(), allowance);
        } catch (NativeCallException e) {
            close("read failed: " + e.errnoName());
            return;
        }
        if (n == Posix.WOULD_BLOCK) {
            return;
        }
        if (n == 0) {
            close("peer closed");
            return;
        }
        bytesIn += n;
        server.countIn(n);
        inputView.clear();
        inputView.limit((int) n);
        inCallback = true;
        try {
            protocol.onData(this, inputView);
        } finally {
            inCallback = false;
        }
        if (!closed) {
            flushAndUpdate();
        }
    }

    private void onWritable(int fd, int revents) {
        if (!closed) {
            flushAndUpdate();
        }
    }

    /** Writes what the socket takes now, tells the protocol when output drained, fixes interest. */
    private void flushAndUpdate() {
        boolean hadOutput = outputPending() > 0;
        if (!flush()) {
            return; // closed on a write error
        }
        if (closeWhenFlushed != null && outputPending() == 0) {
            close(closeWhenFlushed);
            return;
        }
        if (hadOutput && outputPending() == 0) {
            inCallback = true;
            try {
                protocol.onDrained(this);
            } finally {
                inCallback = false;
            }
            if (closed) {
                return;
            }
            flush();
            if (closed) {
                return;
            }
        }
        updateInterest();
    }

    // Returns false if the client was closed by a write error.
    private boolean flush() {
        while (outputView.position() > 0) {
            int pending = outputView.position();
            long n;
            try {
                n = Posix.write(fd, output.address(), pending);
            } catch (NativeCallException e) {
                close("write failed: " + e.errnoName());
                return false;
            }
            if (n == Posix.WOULD_BLOCK || n == 0) {
                return true;
            }
            bytesOut += n;
            server.countOut(n);
            // keep the unwritten tail at the front (compact works in place: no allocation)
            outputView.flip();
            outputView.position((int) n);
            outputView.compact();
            refillFromOverflow();
        }
        return true;
    }

    private void refillFromOverflow() {
        if (overflow == null) {
            return;
        }
        int fit = Math.min(outputFree(), overflow.length - overflowStart);
        outputView.put(overflow, overflowStart, fit);
        overflowStart += fit;
        if (overflowStart == overflow.length) {
            overflow = null;
        }
    }

    /**
     * Re-evaluates what the fd handler waits for: call after the protocol's read allowance may have
     * changed outside a callback (e.g. when a held request completed).
     */
    public void updateInterest() {
        if (closed) {
            return;
        }
        boolean wantWrite = outputView.position() > 0;
        boolean wantRead = closeWhenFlushed == null && !server.isStopping() && protocol.readAllowance(this) > 0;
        int wanted = (wantRead ? READ : NONE) | (wantWrite ? WRITE : NONE);
        if (wanted == registered) {
            return;
        }
        registered = wanted;
        if (wanted == NONE) {
            context.removeFdHandler(fd);
        } else {
            context.setFdHandler(fd, wantRead ? readCallback : null, wantWrite ? writeCallback : null);
        }
    }

    @Override
    public String toString() {
        return "client #" + id + " (fd " + fd + ")";
    }
}
