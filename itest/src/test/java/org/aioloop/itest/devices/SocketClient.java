package org.aioloop.itest.devices;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * A test client for the socket devices, over TCP on loopback or a Unix socket: a non-blocking
 * {@link SocketChannel} with its own {@link Selector}, so that every wait has a deadline and a
 * silent device fails the test instead of hanging it. Not thread-safe; one per test thread.
 */
final class SocketClient implements AutoCloseable {
    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private final Duration timeout;
    private final boolean tcp;
    private final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
    private byte[] pending = new byte[1024]; // received, not yet consumed
    private int pendingLength;
    private boolean eof;

    private SocketClient(SocketChannel channel, Duration timeout, boolean tcp) throws IOException {
        this.channel = channel;
        this.timeout = timeout;
        this.tcp = tcp;
        channel.configureBlocking(false);
        this.selector = Selector.open();
        this.key = channel.register(selector, 0);
    }

    /** Connects to {@code 127.0.0.1:port}. */
    static SocketClient tcp(int port, Duration timeout) throws IOException {
        return new SocketClient(SocketChannel.open(new InetSocketAddress("127.0.0.1", port)), timeout, true);
    }

    /** Connects to the Unix socket at {@code path}. */
    static SocketClient unix(Path path, Duration timeout) throws IOException {
        return new SocketClient(SocketChannel.open(UnixDomainSocketAddress.of(path)), timeout, false);
    }

    /** Sends all of {@code text} (UTF-8). */
    void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends all of {@code bytes}, reading (and keeping) what arrives meanwhile so the peer never stalls on us. */
    void send(byte[] bytes) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(bytes);
        long deadline = deadline();
        while (out.hasRemaining()) {
            channel.write(out);
            if (out.hasRemaining()) {
                await(SelectionKey.OP_WRITE | SelectionKey.OP_READ, deadline, "sending " + bytes.length + " bytes");
                fill();
            }
        }
    }

    /**
     * Writes as much of {@code bytes} as the socket takes without waiting, reading nothing: a client
     * in the middle of a write the device cannot finish echoing.
     *
     * @return how many bytes went out
     */
    int sendSome(byte[] bytes) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(bytes);
        while (out.hasRemaining() && channel.write(out) > 0) {
            // until the socket buffer is full
        }
        return out.position();
    }

    /**
     * Sends {@code payload} and reads back as many bytes, writing and reading at the same time (an
     * echo bigger than the socket buffers and the device's output limit needs both).
     *
     * @return the bytes received
     */
    byte[] exchange(byte[] payload) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(payload);
        long deadline = deadline();
        while (out.hasRemaining() || pendingLength < payload.length) {
            if (out.hasRemaining()) {
                channel.write(out);
            }
            fill();
            if (pendingLength >= payload.length && !out.hasRemaining()) {
                break;
            }
            if (eof) {
                throw new IOException("closed by the device after " + pendingLength + " of " + payload.length + " bytes");
            }
            await(out.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ, deadline,
                    "echo of " + payload.length + " bytes (" + pendingLength + " received)");
        }
        return take(payload.length);
    }

    /** @return the next line (UTF-8, without its {@code \n}) */
    String readLine() throws IOException {
        return readThrough("\n");
    }

    /**
     * @param terminator what ends the text, e.g. a prompt
     * @return the text up to the terminator, without it
     */
    String readThrough(String terminator) throws IOException {
        byte[] t = terminator.getBytes(StandardCharsets.UTF_8);
        long deadline = deadline();
        for (;;) {
            int at = indexOf(t);
            if (at >= 0) {
                byte[] text = take(at + t.length);
                return new String(text, 0, at, StandardCharsets.UTF_8);
            }
            if (eof) {
                throw new IOException("closed by the device before '" + terminator.replace("\n", "\\n") + "'; got '"
                        + new String(pending, 0, pendingLength, StandardCharsets.UTF_8) + "'");
            }
            await(SelectionKey.OP_READ, deadline, "'" + terminator.replace("\n", "\\n") + "' (have '"
                    + new String(pending, 0, pendingLength, StandardCharsets.UTF_8) + "')");
            fill();
        }
    }

    /**
     * Waits until the device closes the connection, discarding what it sends meanwhile.
     *
     * @return what arrived before the end (UTF-8)
     * @throws IOException on timeout
     */
    String readToEnd() throws IOException {
        long deadline = deadline();
        fill();
        while (!eof) {
            await(SelectionKey.OP_READ, deadline, "the device to close the connection");
            fill();
        }
        return new String(take(pendingLength), StandardCharsets.UTF_8);
    }

    /** Closes abortively: on TCP with SO_LINGER 0, so the device sees a reset, not an orderly end. */
    void abort() throws IOException {
        if (tcp) {
            channel.setOption(StandardSocketOptions.SO_LINGER, 0);
        }
        close();
    }

    @Override
    public void close() throws IOException {
        try {
            selector.close();
        } finally {
            channel.close();
        }
    }

    private long deadline() {
        return System.nanoTime() + timeout.toNanos();
    }

    private void await(int ops, long deadline, String what) throws IOException {
        key.interestOps(ops);
        selector.selectedKeys().clear();
        long leftMs = (deadline - System.nanoTime()) / 1_000_000;
        if (leftMs <= 0 || selector.select(leftMs) == 0 && System.nanoTime() - deadline >= 0) {
            throw new IOException("timed out after " + timeout.toMillis() + " ms waiting for " + what);
        }
    }

    /** Reads what is there now (non-blocking) into {@link #pending}. */
    private void fill() throws IOException {
        for (;;) {
            in.clear();
            int n;
            try {
                n = channel.read(in);
            } catch (IOException e) {
                // a reset from the device is an end as far as a reader is concerned
                eof = true;
                return;
            }
            if (n < 0) {
                eof = true;
                return;
            }
            if (n == 0) {
                return;
            }
            if (pendingLength + n > pending.length) {
                pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + n));
            }
            in.flip();
            in.get(pending, pendingLength, n);
            pendingLength += n;
        }
    }

    private int indexOf(byte[] t) {
        outer:
        for (int i = 0; i + t.length <= pendingLength; i++) {
            for (int j = 0; j < t.length; j++) {
                if (pending[i + j] != t[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private byte[] take(int n) {
        byte[] out = Arrays.copyOf(pending, n);
        System.arraycopy(pending, n, pending, 0, pendingLength - n);
        pendingLength -= n;
        return out;
    }

    /** @return whether the device has closed the connection (as far as read so far) */
    boolean isClosedByPeer() {
        return eof;
    }
}
