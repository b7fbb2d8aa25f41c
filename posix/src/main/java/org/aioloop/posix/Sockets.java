package org.aioloop.posix;

import com.sun.jna.Native;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import org.aioloop.api.NativeCallException;

/**
 * Stream sockets for AF_INET, AF_INET6 and AF_UNIX, as raw non-blocking, close-on-exec fds that a
 * loop can monitor. Addresses are the JDK's {@link InetSocketAddress} (resolved) and
 * {@link UnixDomainSocketAddress}; the sockaddr structures are built by hand in native memory.
 *
 * <p>Every fd this class returns is non-blocking. Failures throw {@link NativeCallException} naming
 * the call, errno symbol and fd; a convenience method that fails after creating its socket closes
 * it first. These are setup calls: they allocate a little native scratch memory per call.
 */
public final class Sockets {
    /** {@code AF_UNIX}. */
    public static final int AF_UNIX = 1;
    /** {@code AF_INET}. */
    public static final int AF_INET = 2;
    /** {@code AF_INET6}. */
    public static final int AF_INET6 = 10;
    /** {@code SOCK_STREAM}. */
    public static final int SOCK_STREAM = 1;
    /** {@code SOCK_DGRAM}. */
    public static final int SOCK_DGRAM = 2;
    /** {@code SOCK_NONBLOCK} (= {@code O_NONBLOCK}). */
    public static final int SOCK_NONBLOCK = Posix.O_NONBLOCK;
    /** {@code SOCK_CLOEXEC} (= {@code O_CLOEXEC}). */
    public static final int SOCK_CLOEXEC = Posix.O_CLOEXEC;
    /** {@code SOL_SOCKET}. */
    public static final int SOL_SOCKET = 1;
    /** {@code SO_REUSEADDR}. */
    public static final int SO_REUSEADDR = 2;
    /** {@code SO_ERROR}. */
    public static final int SO_ERROR = 4;
    /** {@code IPPROTO_TCP}. */
    public static final int IPPROTO_TCP = 6;
    /** {@code TCP_NODELAY}. */
    public static final int TCP_NODELAY = 1;
    /** {@code SHUT_RD}. */
    public static final int SHUT_RD = 0;
    /** {@code SHUT_WR}. */
    public static final int SHUT_WR = 1;
    /** {@code SHUT_RDWR}. */
    public static final int SHUT_RDWR = 2;
    /** File mode of the socket file made by {@link #listenUnix}: owner read/write only. */
    public static final int UNIX_SOCKET_MODE = 0600;

    private static final int NONBLOCK_CLOEXEC = SOCK_NONBLOCK | SOCK_CLOEXEC;

    private Sockets() {
    }

    /**
     * {@code socket(domain, type | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol)}.
     *
     * @param domain   {@link #AF_INET}, {@link #AF_INET6} or {@link #AF_UNIX}
     * @param type     {@link #SOCK_STREAM} or {@link #SOCK_DGRAM}
     * @param protocol usually 0
     * @return the new fd
     */
    public static int socket(int domain, int type, int protocol) {
        int fd = LibC.socket(domain, type | NONBLOCK_CLOEXEC, protocol);
        if (fd < 0) {
            throw Errno.exception("socket", Native.getLastError(), -1);
        }
        return fd;
    }

    /**
     * {@code bind(fd, address)}.
     *
     * @param fd      a socket
     * @param address a resolved {@link InetSocketAddress} or a {@link UnixDomainSocketAddress}
     */
    public static void bind(int fd, SocketAddress address) {
        try (NativeBuffer sa = NativeBuffer.allocate(SockAddr.STORAGE_SIZE)) {
            int len = SockAddr.write(address, sa);
            if (LibC.bind(fd, sa.address(), len) != 0) {
                throw Errno.exception("bind(" + address + ")", Native.getLastError(), fd);
            }
        }
    }

    /**
     * {@code listen(fd, backlog)}.
     *
     * @param fd      a bound socket
     * @param backlog the queue length
     */
    public static void listen(int fd, int backlog) {
        if (LibC.listen(fd, backlog) != 0) {
            throw Errno.exception("listen", Native.getLastError(), fd);
        }
    }

    /**
     * {@code accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)}, retried on EINTR.
     *
     * @param fd a listening socket
     * @return the connection's fd, or {@link Posix#WOULD_BLOCK} if none is pending
     */
    public static int accept(int fd) {
        for (;;) {
            int c = LibC.accept4(fd, 0, 0, NONBLOCK_CLOEXEC);
            if (c >= 0) {
                return c;
            }
            int errno = Native.getLastError();
            if (errno == Errno.EAGAIN) {
                return Posix.WOULD_BLOCK;
            }
            if (errno != Errno.EINTR && errno != Errno.ECONNABORTED) {
                throw Errno.exception("accept4", errno, fd);
            }
        }
    }

    /**
     * Starts a non-blocking {@code connect(fd, address)}.
     *
     * @param fd      a non-blocking socket
     * @param address where to connect
     * @return true if connected at once; false if in progress ({@code EINPROGRESS}; wait for OUT,
     *         then check {@link #soError(int)}, or use {@link #awaitConnected(int, long)})
     * @throws NativeCallException on failure, e.g. {@code ECONNREFUSED}
     */
    public static boolean connect(int fd, SocketAddress address) {
        try (NativeBuffer sa = NativeBuffer.allocate(SockAddr.STORAGE_SIZE)) {
            int len = SockAddr.write(address, sa);
            if (LibC.connect(fd, sa.address(), len) == 0) {
                return true;
            }
            int errno = Native.getLastError();
            // EINTR: the connection goes on asynchronously, as with EINPROGRESS.
            if (errno == Errno.EINPROGRESS || errno == Errno.EINTR) {
                return false;
            }
            throw Errno.exception("connect(" + address + ")", errno, fd);
        }
    }

    /**
     * Waits until a non-blocking connect finishes (the socket is writable) and reports its result.
     *
     * @param fd           a connecting socket
     * @param timeoutNanos the longest wait, -1 for none
     * @return true if connected, false if still in progress after the timeout
     * @throws NativeCallException naming {@code connect} and the errno from {@code SO_ERROR} if the
     *                             connection failed
     */
    public static boolean awaitConnected(int fd, long timeoutNanos) {
        try (NativeBuffer pfd = NativeBuffer.allocate(PollFdLayout.SIZE); Timespec ts = new Timespec()) {
            pfd.putInt(PollFdLayout.FD_OFFSET, fd);
            pfd.putShort(PollFdLayout.EVENTS_OFFSET, Posix.POLLOUT);
            if (Posix.ppoll(pfd.address(), 1, timeoutNanos, ts) == 0) {
                return false;
            }
        }
        int err = soError(fd);
        if (err != 0) {
            throw Errno.exception("connect", err, fd);
        }
        return true;
    }

    /**
     * {@code getsockopt(fd, SOL_SOCKET, SO_ERROR)}: reads and clears the socket's pending error.
     *
     * @param fd a socket
     * @return the pending errno, 0 if none
     */
    public static int soError(int fd) {
        return getIntOption(fd, SOL_SOCKET, SO_ERROR, "SO_ERROR");
    }

    /**
     * {@code setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, on)}.
     *
     * @param fd a socket
     * @param on whether to allow reuse of a local address in TIME_WAIT
     */
    public static void setReuseAddress(int fd, boolean on) {
        setIntOption(fd, SOL_SOCKET, SO_REUSEADDR, on ? 1 : 0, "SO_REUSEADDR");
    }

    /**
     * {@code setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, on)}: with {@code on}, small writes go out at
     * once instead of waiting for the previous segment's ACK (Nagle). What request/response
     * protocols want; Netty and QEMU's {@code nodelay} chardev option set it.
     *
     * @param fd a TCP socket
     * @param on whether to disable Nagle's algorithm
     */
    public static void setTcpNoDelay(int fd, boolean on) {
        setIntOption(fd, IPPROTO_TCP, TCP_NODELAY, on ? 1 : 0, "TCP_NODELAY");
    }

    /**
     * @param fd a TCP socket
     * @return whether {@code TCP_NODELAY} is set
     */
    public static boolean tcpNoDelay(int fd) {
        return getIntOption(fd, IPPROTO_TCP, TCP_NODELAY, "TCP_NODELAY") != 0;
    }

    private static void setIntOption(int fd, int level, int name, int value, String label) {
        try (NativeBuffer val = NativeBuffer.allocate(4)) {
            val.putInt(0, value);
            if (LibC.setsockopt(fd, level, name, val.address(), 4) != 0) {
                throw Errno.exception("setsockopt(" + label + ")", Native.getLastError(), fd);
            }
        }
    }

    private static int getIntOption(int fd, int level, int name, String label) {
        try (NativeBuffer val = NativeBuffer.allocate(8)) {
            val.putInt(4, 4); // optlen, in and out
            if (LibC.getsockopt(fd, level, name, val.address(), val.address() + 4) != 0) {
                throw Errno.exception("getsockopt(" + label + ")", Native.getLastError(), fd);
            }
            return val.getInt(0);
        }
    }

    /**
     * {@code shutdown(fd, how)}.
     *
     * @param fd  a connected socket
     * @param how {@link #SHUT_RD}, {@link #SHUT_WR} or {@link #SHUT_RDWR}
     */
    public static void shutdown(int fd, int how) {
        if (LibC.shutdown(fd, how) != 0) {
            throw Errno.exception("shutdown", Native.getLastError(), fd);
        }
    }

    /**
     * @param fd a bound AF_INET or AF_INET6 socket
     * @return its local port ({@code getsockname}), e.g. the ephemeral port picked for port 0
     */
    public static int localPort(int fd) {
        try (NativeBuffer sa = NativeBuffer.allocate(SockAddr.STORAGE_SIZE + 4)) {
            int lenOffset = SockAddr.STORAGE_SIZE;
            sa.putInt(lenOffset, SockAddr.STORAGE_SIZE);
            if (LibC.getsockname(fd, sa.address(), sa.address() + lenOffset) != 0) {
                throw Errno.exception("getsockname", Native.getLastError(), fd);
            }
            int family = sa.getShort(0);
            if (family != AF_INET && family != AF_INET6) {
                throw new IllegalArgumentException("fd " + fd + " is not an AF_INET/AF_INET6 socket (family " + family + ")");
            }
            return SockAddr.port(sa);
        }
    }

    /**
     * A listening TCP socket with {@code SO_REUSEADDR}.
     *
     * @param host    an IP literal or name, e.g. {@code "127.0.0.1"} or {@code "::1"}
     * @param port    the port, 0 for an ephemeral one (see {@link #localPort(int)})
     * @param backlog the accept queue length
     * @return the listening fd (non-blocking)
     */
    public static int listenTcp(String host, int port, int backlog) {
        InetSocketAddress address = new InetSocketAddress(host, port);
        int fd = socket(SockAddr.family(address), SOCK_STREAM, 0);
        try {
            setReuseAddress(fd, true);
            bind(fd, address);
            listen(fd, backlog);
            return fd;
        } catch (RuntimeException e) {
            closeAfterFailure(fd, e);
            throw e;
        }
    }

    /**
     * A listening Unix stream socket whose file has mode {@link #UNIX_SOCKET_MODE} (0600). The mode
     * is set after bind and before listen, so nobody can connect while it is wider. An existing file
     * at {@code path} is not removed: bind then fails with {@code EADDRINUSE}.
     *
     * @param path    the socket file (at most 107 bytes)
     * @param backlog the accept queue length
     * @return the listening fd (non-blocking)
     */
    public static int listenUnix(Path path, int backlog) {
        int fd = socket(AF_UNIX, SOCK_STREAM, 0);
        try {
            bind(fd, UnixDomainSocketAddress.of(path));
            if (LibC.chmod(path.toString(), UNIX_SOCKET_MODE) != 0) {
                throw Errno.exception("chmod(" + path + ")", Native.getLastError(), fd);
            }
            listen(fd, backlog);
            return fd;
        } catch (RuntimeException e) {
            closeAfterFailure(fd, e);
            throw e;
        }
    }

    /**
     * Starts a non-blocking TCP connect.
     *
     * @param host an IP literal or name
     * @param port the port
     * @return the socket fd; the connection may still be in progress (see
     *         {@link #awaitConnected(int, long)})
     * @throws NativeCallException if the connect failed at once (the socket is then closed)
     */
    public static int connectTcp(String host, int port) {
        InetSocketAddress address = new InetSocketAddress(host, port);
        int fd = socket(SockAddr.family(address), SOCK_STREAM, 0);
        try {
            connect(fd, address);
            return fd;
        } catch (RuntimeException e) {
            closeAfterFailure(fd, e);
            throw e;
        }
    }

    /**
     * Starts a non-blocking Unix stream connect.
     *
     * @param path the socket file
     * @return the socket fd; the connection may still be in progress
     * @throws NativeCallException if the connect failed at once (the socket is then closed), e.g.
     *                             {@code ENOENT} or {@code ECONNREFUSED}
     */
    public static int connectUnix(Path path) {
        int fd = socket(AF_UNIX, SOCK_STREAM, 0);
        try {
            connect(fd, UnixDomainSocketAddress.of(path));
            return fd;
        } catch (RuntimeException e) {
            closeAfterFailure(fd, e);
            throw e;
        }
    }

    /**
     * {@code socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)}.
     *
     * @return the two connected ends
     */
    public static int[] socketpair() {
        try (NativeBuffer sv = NativeBuffer.allocate(8)) {
            if (LibC.socketpair(AF_UNIX, SOCK_STREAM | NONBLOCK_CLOEXEC, 0, sv.address()) != 0) {
                throw Errno.exception("socketpair", Native.getLastError(), -1);
            }
            return new int[] {sv.getInt(0), sv.getInt(4)};
        }
    }

    private static void closeAfterFailure(int fd, RuntimeException cause) {
        try {
            Posix.close(fd);
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }
}
