package org.aioloop.posix;

import com.sun.jna.Native;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import org.aioloop.api.NativeCallException;

/**
 * Thin, typed wrappers over libc for Linux (64-bit). Each wrapper makes one call (plus retries on
 * {@code EINTR} where stated), reads errno with {@code Native.getLastError()} and throws
 * {@link NativeCallException} naming the call, the errno symbol and the fd. The wrappers used on
 * every loop iteration ({@link #read(int, long, long)}, {@link #write(int, long, long)},
 * {@link #ppoll}, {@link #epollWait}, {@link #epollPwait2}, {@link #epollCtl}) allocate nothing on
 * success.
 *
 * <p>Constants are the Linux values of x86-64, aarch64 and riscv64 (the generic ABI).
 */
public final class Posix {
    /** {@code O_NONBLOCK}. */
    public static final int O_NONBLOCK = 0x800;
    /** {@code O_CLOEXEC}. */
    public static final int O_CLOEXEC = 0x80000;
    /** {@code EFD_SEMAPHORE}. */
    public static final int EFD_SEMAPHORE = 1;
    /** {@code EFD_NONBLOCK} (= {@code O_NONBLOCK}). */
    public static final int EFD_NONBLOCK = O_NONBLOCK;
    /** {@code EFD_CLOEXEC} (= {@code O_CLOEXEC}). */
    public static final int EFD_CLOEXEC = O_CLOEXEC;
    /** {@code F_GETFD}. */
    public static final int F_GETFD = 1;
    /** {@code F_SETFD}. */
    public static final int F_SETFD = 2;
    /** {@code F_GETFL}. */
    public static final int F_GETFL = 3;
    /** {@code F_SETFL}. */
    public static final int F_SETFL = 4;
    /** {@code FD_CLOEXEC}. */
    public static final int FD_CLOEXEC = 1;

    /** {@code POLLIN}. */
    public static final short POLLIN = 0x001;
    /** {@code POLLPRI}. */
    public static final short POLLPRI = 0x002;
    /** {@code POLLOUT}. */
    public static final short POLLOUT = 0x004;
    /** {@code POLLERR}. */
    public static final short POLLERR = 0x008;
    /** {@code POLLHUP}. */
    public static final short POLLHUP = 0x010;
    /** {@code POLLNVAL}. */
    public static final short POLLNVAL = 0x020;
    /** {@code POLLRDHUP}. */
    public static final short POLLRDHUP = 0x2000;

    /** {@code EPOLL_CLOEXEC}. */
    public static final int EPOLL_CLOEXEC = O_CLOEXEC;
    /** {@code EPOLL_CTL_ADD}. */
    public static final int EPOLL_CTL_ADD = 1;
    /** {@code EPOLL_CTL_DEL}. */
    public static final int EPOLL_CTL_DEL = 2;
    /** {@code EPOLL_CTL_MOD}. */
    public static final int EPOLL_CTL_MOD = 3;
    /** {@code EPOLLIN}. */
    public static final int EPOLLIN = 0x001;
    /** {@code EPOLLPRI}. */
    public static final int EPOLLPRI = 0x002;
    /** {@code EPOLLOUT}. */
    public static final int EPOLLOUT = 0x004;
    /** {@code EPOLLERR}. */
    public static final int EPOLLERR = 0x008;
    /** {@code EPOLLHUP}. */
    public static final int EPOLLHUP = 0x010;
    /** {@code EPOLLRDHUP}. */
    public static final int EPOLLRDHUP = 0x2000;
    /** {@code EPOLLONESHOT}. */
    public static final int EPOLLONESHOT = 1 << 30;
    /** {@code EPOLLET}. */
    public static final int EPOLLET = 1 << 31;

    /** {@code RLIMIT_NOFILE}. */
    public static final int RLIMIT_NOFILE = 7;

    /** What {@link #read(int, long, long)} and {@link #write(int, long, long)} return on EAGAIN. */
    public static final int WOULD_BLOCK = -1;
    /** What the wait wrappers never return: they retry EINTR themselves. Documented for callers. */
    private static final long NO_TIMEOUT = -1;

    /** How many times a wait wrapper was interrupted (EINTR) and retried; tests read it. */
    private static final AtomicLong EINTR_RETRIES = new AtomicLong();

    private Posix() {
    }

    /** @return the number of EINTR retries in the wait wrappers so far (touched only on EINTR) */
    static long eintrRetries() {
        return EINTR_RETRIES.get();
    }

    // ---- fds ---------------------------------------------------------------------------------

    /**
     * {@code eventfd(initval, flags)}.
     *
     * @param initval the initial counter
     * @param flags   {@link #EFD_NONBLOCK}, {@link #EFD_CLOEXEC}, {@link #EFD_SEMAPHORE}
     * @return the new fd
     * @throws NativeCallException on failure (e.g. {@code ENOSYS}, {@code EMFILE})
     */
    public static int eventfd(int initval, int flags) {
        int fd = LibC.eventfd(initval, flags);
        if (fd < 0) {
            throw Errno.exception("eventfd", Native.getLastError(), -1);
        }
        return fd;
    }

    /**
     * {@code pipe2(fds, flags)}.
     *
     * @param flags {@link #O_NONBLOCK}, {@link #O_CLOEXEC}
     * @return a new two-element array: {@code [0]} the read end, {@code [1]} the write end
     * @throws NativeCallException on failure
     */
    public static int[] pipe2(int flags) {
        try (NativeBuffer fds = NativeBuffer.allocate(8)) {
            if (LibC.pipe2(fds.address(), flags) != 0) {
                throw Errno.exception("pipe2", Native.getLastError(), -1);
            }
            return new int[] {fds.getInt(0), fds.getInt(4)};
        }
    }

    /**
     * {@code read(fd, address, len)}, retried on EINTR.
     *
     * @param fd      the fd
     * @param address native memory to fill
     * @param len     at most this many bytes
     * @return the bytes read (0 = end of file), or {@link #WOULD_BLOCK} if a non-blocking fd has
     *         nothing ({@code EAGAIN})
     * @throws NativeCallException on any other error
     */
    public static long read(int fd, long address, long len) {
        for (;;) {
            long n = LibC.read(fd, address, len);
            if (n >= 0) {
                return n;
            }
            int errno = Native.getLastError();
            if (errno == Errno.EAGAIN) {
                return WOULD_BLOCK;
            }
            if (errno != Errno.EINTR) {
                throw Errno.exception("read", errno, fd);
            }
        }
    }

    /**
     * {@code write(fd, address, len)}, retried on EINTR.
     *
     * @param fd      the fd
     * @param address native memory to send
     * @param len     the number of bytes
     * @return the bytes written, or {@link #WOULD_BLOCK} ({@code EAGAIN})
     * @throws NativeCallException on any other error ({@code EPIPE} when the reader is gone)
     */
    public static long write(int fd, long address, long len) {
        for (;;) {
            long n = LibC.write(fd, address, len);
            if (n >= 0) {
                return n;
            }
            int errno = Native.getLastError();
            if (errno == Errno.EAGAIN) {
                return WOULD_BLOCK;
            }
            if (errno != Errno.EINTR) {
                throw Errno.exception("write", errno, fd);
            }
        }
    }

    /**
     * Reads into a direct buffer between its position and limit and advances the position. Finding
     * the buffer's address costs a small JNA {@code Pointer} per call: loops that read every
     * iteration should keep a {@link NativeBuffer} and use {@link #read(int, long, long)}.
     *
     * @param fd  the fd
     * @param dst a direct buffer
     * @return the bytes read (0 = end of file, or no room), or {@link #WOULD_BLOCK}
     * @throws IllegalArgumentException if {@code dst} is not direct
     * @throws NativeCallException      on errors other than EAGAIN
     */
    public static int read(int fd, ByteBuffer dst) {
        int pos = dst.position();
        int len = dst.limit() - pos;
        if (len == 0) {
            return 0;
        }
        long n = read(fd, addressOf(dst) + pos, len);
        if (n > 0) {
            dst.position(pos + (int) n);
        }
        return (int) n;
    }

    /**
     * Writes from a direct buffer between its position and limit and advances the position (costs a
     * small {@code Pointer} per call, as {@link #read(int, ByteBuffer)}).
     *
     * @param fd  the fd
     * @param src a direct buffer
     * @return the bytes written, or {@link #WOULD_BLOCK}
     * @throws IllegalArgumentException if {@code src} is not direct
     * @throws NativeCallException      on errors other than EAGAIN
     */
    public static int write(int fd, ByteBuffer src) {
        int pos = src.position();
        int len = src.limit() - pos;
        if (len == 0) {
            return 0;
        }
        long n = write(fd, addressOf(src) + pos, len);
        if (n > 0) {
            src.position(pos + (int) n);
        }
        return (int) n;
    }

    private static long addressOf(ByteBuffer buffer) {
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException("read/write needs a direct ByteBuffer");
        }
        return com.sun.jna.Pointer.nativeValue(Native.getDirectBufferPointer(buffer));
    }

    /**
     * {@code close(fd)}. Not retried on EINTR: Linux has released the fd even then, and retrying
     * could close an fd another thread just opened.
     *
     * @param fd the fd
     * @throws NativeCallException on {@code EBADF} (fd not open) or I/O errors
     */
    public static void close(int fd) {
        if (LibC.close(fd) != 0) {
            int errno = Native.getLastError();
            if (errno != Errno.EINTR) {
                throw Errno.exception("close", errno, fd);
            }
        }
    }

    /**
     * {@code fcntl(fd, cmd, arg)} for the int-argument commands.
     *
     * @param fd  the fd
     * @param cmd {@link #F_GETFD}, {@link #F_SETFD}, {@link #F_GETFL}, {@link #F_SETFL}
     * @param arg the argument (ignored by the GET commands)
     * @return the call's result
     * @throws NativeCallException on failure ({@code EBADF} if the fd is not open)
     */
    public static int fcntl(int fd, int cmd, int arg) {
        int r = LibC.fcntl(fd, cmd, arg);
        if (r < 0) {
            throw Errno.exception("fcntl(" + cmd + ")", Native.getLastError(), fd);
        }
        return r;
    }

    /**
     * Adds {@link #O_NONBLOCK} to the fd's status flags.
     *
     * @param fd the fd
     * @throws NativeCallException on failure
     */
    public static void setNonBlocking(int fd) {
        int flags = fcntl(fd, F_GETFL, 0);
        if ((flags & O_NONBLOCK) == 0) {
            fcntl(fd, F_SETFL, flags | O_NONBLOCK);
        }
    }

    /**
     * @param fd an fd number
     * @return whether {@code fd} is open in this process ({@code fcntl(F_GETFD)} does not fail with
     *         {@code EBADF}); false for negative numbers
     */
    public static boolean isOpen(int fd) {
        if (fd < 0) {
            return false;
        }
        return LibC.fcntl(fd, F_GETFD, 0) >= 0 || Native.getLastError() != Errno.EBADF;
    }

    /**
     * @return the soft limit of open fds ({@code getrlimit(RLIMIT_NOFILE)}), capped at
     *         {@code Integer.MAX_VALUE}
     */
    public static int openFileLimit() {
        try (NativeBuffer rlim = NativeBuffer.allocate(16)) {
            if (LibC.getrlimit(RLIMIT_NOFILE, rlim.address()) != 0) {
                throw Errno.exception("getrlimit(RLIMIT_NOFILE)", Native.getLastError(), -1);
            }
            long cur = rlim.getLong(0);
            return cur < 0 || cur > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) cur;
        }
    }

    /** @return the calling thread's kernel thread id ({@code gettid}); for tests */
    static int gettid() {
        return LibC.gettid();
    }

    /**
     * Sends {@code sig} to one thread of this process ({@code tgkill}); for tests.
     *
     * @param tid a kernel thread id from {@link #gettid()}
     * @param sig a signal number
     */
    static void tgkill(int tid, int sig) {
        if (LibC.tgkill((int) ProcessHandle.current().pid(), tid, sig) != 0) {
            throw Errno.exception("tgkill(" + tid + ", " + sig + ")", Native.getLastError(), -1);
        }
    }

    // ---- waiting -----------------------------------------------------------------------------

    /**
     * {@code ppoll(fds, nfds, timeout, NULL)} with a nanosecond timeout; EINTR is retried with the
     * remaining time (and returns 0 once it has run out).
     *
     * @param fds          address of an array of {@code struct pollfd} ({@link PollFdLayout})
     * @param nfds         the number of entries
     * @param timeoutNanos -1 to wait indefinitely, 0 to return at once, else the longest wait
     * @param timespec     scratch storage for the timeout
     * @return the number of entries with non-zero {@code revents}
     * @throws NativeCallException on failure other than EINTR
     */
    public static int ppoll(long fds, int nfds, long timeoutNanos, Timespec timespec) {
        long start = timeoutNanos > 0 ? System.nanoTime() : 0;
        long remaining = timeoutNanos;
        for (;;) {
            long ts = remaining < 0 ? 0 : timespec.set(remaining);
            int n = LibC.ppoll(fds, nfds, ts, 0);
            if (n >= 0) {
                return n;
            }
            remaining = leftAfterEintr("ppoll", -1, timeoutNanos, start);
            if (timeoutNanos > 0 && remaining <= 0) {
                return 0;
            }
        }
    }

    /**
     * After a wait failed: throws unless it was EINTR, counts the retry, and says how long the retry
     * may wait. A positive timeout is shortened by the time spent since {@code start} (&lt;= 0: it ran
     * out, and the caller returns 0, nothing ready); -1 (infinite) and 0 stay as they are. Allocates
     * nothing unless it throws.
     *
     * @param call         the call, for the exception
     * @param fd           the fd it waited on, -1 if none
     * @param timeoutNanos the whole timeout in ns
     * @param start        {@link System#nanoTime()} before the first attempt (read only if the timeout is positive)
     * @return the ns left for the retry
     */
    private static long leftAfterEintr(String call, int fd, long timeoutNanos, long start) {
        int errno = Native.getLastError();
        if (errno != Errno.EINTR) {
            throw Errno.exception(call, errno, fd);
        }
        EINTR_RETRIES.incrementAndGet();
        return timeoutNanos > 0 ? timeoutNanos - (System.nanoTime() - start) : timeoutNanos;
    }

    /**
     * {@code epoll_create1(flags)}.
     *
     * @param flags 0 or {@link #EPOLL_CLOEXEC}
     * @return the epoll fd
     * @throws NativeCallException on failure
     */
    public static int epollCreate1(int flags) {
        int fd = LibC.epoll_create1(flags);
        if (fd < 0) {
            throw Errno.exception("epoll_create1", Native.getLastError(), -1);
        }
        return fd;
    }

    /**
     * {@code epoll_ctl(epfd, op, fd, event)}.
     *
     * @param epfd  the epoll fd
     * @param op    {@link #EPOLL_CTL_ADD}, {@link #EPOLL_CTL_MOD} or {@link #EPOLL_CTL_DEL}
     * @param fd    the target fd
     * @param event address of a {@code struct epoll_event} ({@link EpollEventLayout}); may be 0 for DEL
     * @throws NativeCallException on failure, naming {@code fd} (e.g. {@code EBADF}, {@code EEXIST},
     *                             {@code ENOENT}, {@code EPERM} for regular files)
     */
    public static void epollCtl(int epfd, int op, int fd, long event) {
        if (LibC.epoll_ctl(epfd, op, fd, event) != 0) {
            throw Errno.exception(epollCtlName(op), Native.getLastError(), fd);
        }
    }

    private static String epollCtlName(int op) {
        switch (op) {
            case EPOLL_CTL_ADD:
                return "epoll_ctl(ADD)";
            case EPOLL_CTL_MOD:
                return "epoll_ctl(MOD)";
            case EPOLL_CTL_DEL:
                return "epoll_ctl(DEL)";
            default:
                return "epoll_ctl(" + op + ")";
        }
    }

    /**
     * {@code epoll_wait(epfd, events, maxevents, timeoutMillis)}; EINTR is retried with the
     * remaining time.
     *
     * @param epfd          the epoll fd
     * @param events        address of {@code maxevents} {@code struct epoll_event}s
     * @param maxevents     the capacity, &gt; 0
     * @param timeoutMillis -1 to wait indefinitely, 0 to return at once, else the longest wait
     * @return the number of events stored
     * @throws NativeCallException on failure other than EINTR
     */
    public static int epollWait(int epfd, long events, int maxevents, int timeoutMillis) {
        long start = timeoutMillis > 0 ? System.nanoTime() : 0;
        int remaining = timeoutMillis;
        for (;;) {
            int n = LibC.epoll_wait(epfd, events, maxevents, remaining);
            if (n >= 0) {
                return n;
            }
            long leftNanos = leftAfterEintr("epoll_wait", epfd, timeoutMillis * 1_000_000L, start);
            if (timeoutMillis > 0) {
                if (leftNanos <= 0) {
                    return 0;
                }
                remaining = millisRoundedUp(leftNanos);
            }
        }
    }

    /**
     * Whether {@link #epollPwait2} works here: the libc has the symbol and the kernel the system
     * call (Linux 5.11). Probed once, at first use, with a call on fd -1 ({@code EBADF} means the
     * call exists, {@code ENOSYS} that it does not).
     *
     * @return whether {@code epoll_pwait2} is available
     */
    public static boolean hasEpollPwait2() {
        return Pwait2Probe.AVAILABLE;
    }

    /**
     * {@code epoll_pwait2(epfd, events, maxevents, timeout, NULL)}: epoll_wait with a nanosecond
     * timeout. EINTR is retried with the remaining time.
     *
     * @param epfd         the epoll fd
     * @param events       address of {@code maxevents} {@code struct epoll_event}s
     * @param maxevents    the capacity, &gt; 0
     * @param timeoutNanos -1 to wait indefinitely, 0 to return at once, else the longest wait
     * @param timespec     scratch storage for the timeout
     * @return the number of events stored
     * @throws UnsupportedOperationException if {@link #hasEpollPwait2()} is false
     * @throws NativeCallException          on failure other than EINTR
     */
    public static int epollPwait2(int epfd, long events, int maxevents, long timeoutNanos, Timespec timespec) {
        if (!Pwait2Probe.AVAILABLE) {
            throw new UnsupportedOperationException("epoll_pwait2 is not available: " + Pwait2Probe.REASON);
        }
        long start = timeoutNanos > 0 ? System.nanoTime() : 0;
        long remaining = timeoutNanos;
        for (;;) {
            long ts = remaining < 0 ? 0 : timespec.set(remaining);
            int n = LibCPwait2.epoll_pwait2(epfd, events, maxevents, ts, 0);
            if (n >= 0) {
                return n;
            }
            remaining = leftAfterEintr("epoll_pwait2", epfd, timeoutNanos, start);
            if (timeoutNanos > 0 && remaining <= 0) {
                return 0;
            }
        }
    }

    /**
     * Converts a timeout to whole milliseconds, rounding up (QEMU's {@code qemu_timeout_ns_to_ms}:
     * better to wait too long than to busy-wait). -1 stays -1, 0 stays 0; capped at
     * {@code Integer.MAX_VALUE}.
     *
     * @param nanos a timeout in nanoseconds, -1 for infinite
     * @return the timeout in milliseconds
     */
    public static int millisRoundedUp(long nanos) {
        if (nanos < 0) {
            return (int) NO_TIMEOUT;
        }
        long ms = nanos / 1_000_000L + (nanos % 1_000_000L == 0 ? 0 : 1);
        return ms > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) ms;
    }

    /** Detects epoll_pwait2 lazily, on first use. */
    private static final class Pwait2Probe {
        static final String REASON;
        static final boolean AVAILABLE;

        static {
            String reason;
            try {
                int r = LibCPwait2.epoll_pwait2(-1, 0, 1, 0, 0);
                int errno = r < 0 ? Native.getLastError() : 0;
                reason = errno == Errno.ENOSYS ? "the kernel lacks the system call (ENOSYS)" : null;
            } catch (LinkageError e) {
                reason = "the C library lacks the symbol (" + e.getMessage() + ")";
            }
            REASON = reason;
            AVAILABLE = reason == null;
        }

        private Pwait2Probe() {
        }
    }
}
