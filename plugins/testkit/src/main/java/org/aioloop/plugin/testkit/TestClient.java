package org.aioloop.plugin.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A socket client for device tests, with a deadline on every wait so a test never hangs: connect
 * over TCP (loopback) or a Unix socket, send, read lines or exact byte counts, wait for the end of
 * the stream, or reset the connection. Uses the JDK's NIO, so it tests a device from the outside,
 * through the kernel, like any other client.
 */
public final class TestClient implements AutoCloseable {
    private final SocketChannel channel;
    private final Selector selector;
    private final ByteBuffer readBuffer = ByteBuffer.allocate(8192);
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private final boolean tcp;

    private TestClient(SocketAddress address) throws IOException {
        this.tcp = address instanceof InetSocketAddress;
        this.channel = SocketChannel.open(address); // blocking connect: loopback answers at once
        try {
            channel.configureBlocking(false);
            this.selector = Selector.open();
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * @param host a loopback address
     * @param port the port
     * @return a connected client
     * @throws IOException if the connection fails
     */
    public static TestClient tcp(String host, int port) throws IOException {
        return new TestClient(new InetSocketAddress(host, port));
    }

    /**
     * @param path a Unix socket file
     * @return a connected client
     * @throws IOException if the connection fails
     */
    public static TestClient unix(Path path) throws IOException {
        return new TestClient(UnixDomainSocketAddress.of(path));
    }

    /**
     * Sends all of {@code text} as UTF-8, waiting (bounded) while the socket is full.
     *
     * @param text the text
     * @param timeout the longest wait
     * @throws IOException on errors or when the peer does not take the bytes in time
     */
    public void send(String text, Duration timeout) throws IOException {
        send(text.getBytes(StandardCharsets.UTF_8), timeout);
    }

    /**
     * Sends all of {@code bytes}, waiting (bounded) while the socket is full.
     *
     * @param bytes the bytes
     * @param timeout the longest wait
     * @throws IOException on errors or when the peer does not take the bytes in time
     */
    public void send(byte[] bytes, Duration timeout) throws IOException {
        ByteBuffer src = ByteBuffer.wrap(bytes);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (src.hasRemaining()) {
            if (channel.write(src) == 0) {
                await(SelectionKey.OP_WRITE, deadline, "sending " + src.remaining() + " more bytes");
            }
        }
    }

    /**
     * Writes what the socket takes now, without waiting.
     *
     * @param src the bytes; its position advances
     * @return the bytes written (0 when the socket is full)
     * @throws IOException on errors
     */
    public int sendSome(ByteBuffer src) throws IOException {
        return channel.write(src);
    }

    /**
     * Reads up to and including the next {@code \n}.
     *
     * @param timeout the longest wait
     * @return the line without its {@code \n}, as UTF-8
     * @throws IOException on errors, the end of the stream, or a timeout
     */
    public String readLine(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (;;) {
            byte[] have = pending.toByteArray();
            for (int i = 0; i < have.length; i++) {
                if (have[i] == '\n') {
                    pending.reset();
                    pending.write(have, i + 1, have.length - i - 1);
                    return new String(have, 0, i, StandardCharsets.UTF_8);
                }
            }
            if (fill(deadline, "a line (have '" + new String(have, StandardCharsets.UTF_8) + "')") < 0) {
                throw new IOException("end of stream before a line ended (have '" + new String(have, StandardCharsets.UTF_8) + "')");
            }
        }
    }

    /**
     * Reads exactly {@code n} bytes.
     *
     * @param n       how many
     * @param timeout the longest wait
     * @return the bytes
     * @throws IOException on errors, the end of the stream, or a timeout
     */
    public byte[] readExactly(int n, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (pending.size() < n) {
            if (fill(deadline, n + " bytes (have " + pending.size() + ")") < 0) {
                throw new IOException("end of stream after " + pending.size() + " of " + n + " bytes");
            }
        }
        byte[] have = pending.toByteArray();
        pending.reset();
        pending.write(have, n, have.length - n);
        return java.util.Arrays.copyOf(have, n);
    }

    /**
     * Reads whatever is available now, without waiting.
     *
     * @return the bytes read (possibly none); -1 at the end of the stream
     * @throws IOException on errors
     */
    public int drainAvailable() throws IOException {
        int total = 0;
        for (;;) {
            readBuffer.clear();
            int n = channel.read(readBuffer);
            if (n < 0) {
                return total == 0 ? -1 : total;
            }
            if (n == 0) {
                return total;
            }
            total += n;
        }
    }

    /**
     * Waits until the peer closes the connection; data arriving before is discarded.
     *
     * @param timeout the longest wait
     * @return true if the stream ended (or the connection was reset), false on timeout
     * @throws IOException on other errors
     */
    public boolean awaitEof(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        pending.reset();
        try {
            for (;;) {
                int n = fill(deadline, null);
                if (n < 0) {
                    return true;
                }
                if (n == 0) {
                    return false;
                }
                pending.reset();
            }
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("reset")) {
                return true;
            }
            throw e;
        }
    }

    /**
     * Resets the connection (TCP: {@code SO_LINGER 0} then close sends RST); for Unix sockets, a
     * plain close with unread data has the same effect on the peer.
     */
    public void abort() {
        try {
            if (tcp) {
                channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            }
        } catch (IOException e) {
            // closing is what matters
        }
        close();
    }

    // Reads into 'pending'. Returns bytes read, -1 at EOF, 0 on timeout when what == null.
    private int fill(long deadline, String what) throws IOException {
        for (;;) {
            readBuffer.clear();
            int n = channel.read(readBuffer);
            if (n != 0) {
                if (n > 0) {
                    pending.write(readBuffer.array(), 0, n);
                }
                return n;
            }
            if (!await(SelectionKey.OP_READ, deadline, what)) {
                return 0;
            }
        }
    }

    private boolean await(int op, long deadline, String what) throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            if (what == null) {
                return false;
            }
            throw new IOException("timed out waiting for " + what);
        }
        SelectionKey key = channel.register(selector, op);
        try {
            selector.select(Math.max(1, left / 1_000_000));
        } finally {
            key.interestOps(0);
            selector.selectedKeys().clear();
        }
        return true;
    }

    @Override
    public void close() {
        try {
            selector.close();
        } catch (IOException e) {
            // nothing else to release
        }
        try {
            channel.close();
        } catch (IOException e) {
            // nothing else to release
        }
    }
}
