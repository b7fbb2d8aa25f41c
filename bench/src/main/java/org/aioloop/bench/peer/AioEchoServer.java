package org.aioloop.bench.peer;

import java.util.HashMap;
import java.util.Map;

import org.aioloop.api.AioContext;
import org.aioloop.api.AioException;
import org.aioloop.api.FdCallback;
import org.aioloop.posix.NativeBuffer;
import org.aioloop.posix.Posix;
import org.aioloop.posix.Sockets;

/**
 * The "equivalent echo device" for the aioloop peers: a TCP echo server written directly over
 * aioloop's posix sockets and {@link AioContext#setFdHandler}. Read what is there, write it back;
 * only when the socket buffer is full does the connection stop reading and wait for OUT. Nothing is
 * allocated per message.
 */
final class AioEchoServer implements EchoServer {
    private static final int BUFFER_BYTES = 16 * 1024;

    private final AioLoop loop;
    private final AioContext ctx;
    private final Map<Integer, Connection> connections = new HashMap<>();
    private int listenFd = -1;
    private int port;

    AioEchoServer(AioLoop loop) {
        this.loop = loop;
        this.ctx = loop.context();
        loop.runSync(() -> {
            listenFd = Sockets.listenTcp("127.0.0.1", 0, 1024);
            port = Sockets.localPort(listenFd);
            ctx.setFdHandler(listenFd, (fd, revents) -> accept(), null);
        });
    }

    private void accept() {
        int c;
        while ((c = Sockets.accept(listenFd)) != Posix.WOULD_BLOCK) {
            Sockets.setTcpNoDelay(c, true); // as the Netty and selector servers
            Connection conn = new Connection(c);
            connections.put(c, conn);
            ctx.setFdHandler(c, conn.onRead, null);
        }
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public void close() {
        loop.runSync(() -> {
            if (listenFd >= 0) {
                ctx.removeFdHandler(listenFd);
                Posix.close(listenFd);
                listenFd = -1;
            }
            for (Connection c : connections.values().toArray(new Connection[0])) {
                c.close();
            }
        });
    }

    /** One accepted connection: its buffer and the part of it still to be written. */
    private final class Connection {
        private final int fd;
        private final NativeBuffer buf = NativeBuffer.allocate(BUFFER_BYTES);
        private final FdCallback onRead = (f, revents) -> read();
        private final FdCallback onWrite = (f, revents) -> flush();
        private int start;
        private int end;
        private boolean waitingForOut;

        Connection(int fd) {
            this.fd = fd;
        }

        private void read() {
            try {
                long n = Posix.read(fd, buf.address(), BUFFER_BYTES);
                if (n == Posix.WOULD_BLOCK) {
                    return;
                }
                if (n == 0) {
                    close();
                    return;
                }
                start = 0;
                end = (int) n;
                flush();
            } catch (AioException e) {
                close(); // ECONNRESET and the like: the client went away
            }
        }

        private void flush() {
            try {
                while (start < end) {
                    long w = Posix.write(fd, buf.address() + start, end - start);
                    if (w == Posix.WOULD_BLOCK) {
                        if (!waitingForOut) {
                            waitingForOut = true;
                            ctx.setFdHandler(fd, null, onWrite);
                        }
                        return;
                    }
                    start += (int) w;
                }
                if (waitingForOut) {
                    waitingForOut = false;
                    ctx.setFdHandler(fd, onRead, null);
                }
            } catch (AioException e) {
                close();
            }
        }

        void close() {
            if (connections.remove(fd) != null) {
                ctx.removeFdHandler(fd);
                Posix.close(fd);
                buf.close();
            }
        }
    }
}
