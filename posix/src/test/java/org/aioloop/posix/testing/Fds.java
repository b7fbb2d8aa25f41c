package org.aioloop.posix.testing;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import org.aioloop.posix.NativeBuffer;
import org.aioloop.posix.Posix;
import org.aioloop.posix.Sockets;

/**
 * Test helper: creates pipes, eventfds and connected socket pairs, remembers every fd it made and
 * closes the ones still open in {@link #close()}, so a test cannot leak them even when it fails.
 */
public final class Fds implements AutoCloseable {
    private static final long CONNECT_TIMEOUT = TimeUnit.SECONDS.toNanos(5);
    private final Deque<Integer> owned = new ArrayDeque<>();
    private final NativeBuffer scratch = NativeBuffer.allocate(4096);

    /**
     * @param fd an fd to close at the end
     * @return {@code fd}
     */
    public int track(int fd) {
        owned.push(fd);
        return fd;
    }

    /** @return a non-blocking pipe: [0] read end, [1] write end */
    public int[] pipe() {
        int[] p = Posix.pipe2(Posix.O_NONBLOCK | Posix.O_CLOEXEC);
        track(p[0]);
        track(p[1]);
        return p;
    }

    /** @return a non-blocking eventfd */
    public int eventfd() {
        return track(Posix.eventfd(0, Posix.EFD_NONBLOCK | Posix.EFD_CLOEXEC));
    }

    /** @return a connected AF_UNIX stream pair */
    public int[] socketpair() {
        int[] p = Sockets.socketpair();
        track(p[0]);
        track(p[1]);
        return p;
    }

    /**
     * @param host "127.0.0.1" or "::1"
     * @return a connected loopback TCP pair: [0] the client end, [1] the accepted end
     */
    public int[] tcpPair(String host) {
        int listener = Sockets.listenTcp(host, 0, 4);
        try {
            int client = track(Sockets.connectTcp(host, Sockets.localPort(listener)));
            if (!Sockets.awaitConnected(client, CONNECT_TIMEOUT)) {
                throw new AssertionError("loopback connect to " + host + " did not finish");
            }
            return new int[] {client, track(acceptWithin(listener))};
        } finally {
            Posix.close(listener);
        }
    }

    /**
     * @param socketFile where to put the listening socket
     * @return a connected Unix stream pair through a listening socket file: [0] client, [1] accepted
     */
    public int[] unixPair(Path socketFile) {
        int listener = Sockets.listenUnix(socketFile, 4);
        try {
            int client = track(Sockets.connectUnix(socketFile));
            if (!Sockets.awaitConnected(client, CONNECT_TIMEOUT)) {
                throw new AssertionError("unix connect to " + socketFile + " did not finish");
            }
            return new int[] {client, track(acceptWithin(listener))};
        } finally {
            Posix.close(listener);
        }
    }

    /**
     * Accepts one pending connection, waiting for it with ppoll (bounded).
     *
     * @param listener a listening socket
     * @return the accepted fd (not tracked)
     */
    public static int acceptWithin(int listener) {
        try (NativeBuffer pfd = NativeBuffer.allocate(8); org.aioloop.posix.Timespec ts = new org.aioloop.posix.Timespec()) {
            pfd.putInt(0, listener);
            pfd.putShort(4, Posix.POLLIN);
            if (Posix.ppoll(pfd.address(), 1, CONNECT_TIMEOUT, ts) != 1) {
                throw new AssertionError("no connection to accept on fd " + listener);
            }
        }
        int fd = Sockets.accept(listener);
        if (fd < 0) {
            throw new AssertionError("accept on fd " + listener + " found nothing");
        }
        return fd;
    }

    /**
     * Writes {@code n} bytes (of value 'x').
     *
     * @param fd the fd
     * @param n  at most 4096
     */
    public void write(int fd, int n) {
        for (int i = 0; i < n; i++) {
            scratch.putByte(i, (byte) 'x');
        }
        long w = Posix.write(fd, scratch.address(), n);
        if (w != n) {
            throw new AssertionError("short write on fd " + fd + ": " + w);
        }
    }

    /**
     * Writes 8 bytes holding {@code 1} (an eventfd increment).
     *
     * @param eventfd the eventfd
     */
    public void signal(int eventfd) {
        scratch.putLong(0, 1L);
        Posix.write(eventfd, scratch.address(), 8);
    }

    /**
     * Reads whatever is there (up to 4096 bytes).
     *
     * @param fd the fd
     * @return the byte count, or {@link Posix#WOULD_BLOCK}
     */
    public long drain(int fd) {
        return Posix.read(fd, scratch.address(), 4096);
    }

    /**
     * Closes {@code fd} now (it is then not closed again at the end).
     *
     * @param fd a tracked fd
     */
    public void closeNow(int fd) {
        owned.remove(fd);
        Posix.close(fd);
    }

    @Override
    public void close() {
        while (!owned.isEmpty()) {
            int fd = owned.pop();
            if (Posix.isOpen(fd)) {
                Posix.close(fd);
            }
        }
        scratch.close();
    }
}
