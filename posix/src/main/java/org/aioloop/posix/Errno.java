package org.aioloop.posix;

import org.aioloop.api.NativeCallException;

/**
 * Linux errno values and their symbols (the generic numbering used by x86-64, aarch64 and
 * riscv64), and the factory for {@link NativeCallException}.
 */
public final class Errno {
    /** Operation not permitted. */
    public static final int EPERM = 1;
    /** No such file or directory. */
    public static final int ENOENT = 2;
    /** No such process. */
    public static final int ESRCH = 3;
    /** Interrupted system call. */
    public static final int EINTR = 4;
    /** I/O error. */
    public static final int EIO = 5;
    /** Bad file descriptor. */
    public static final int EBADF = 9;
    /** Try again (also {@code EWOULDBLOCK}). */
    public static final int EAGAIN = 11;
    /** Out of memory. */
    public static final int ENOMEM = 12;
    /** Permission denied. */
    public static final int EACCES = 13;
    /** Bad address. */
    public static final int EFAULT = 14;
    /** Device or resource busy. */
    public static final int EBUSY = 16;
    /** File exists. */
    public static final int EEXIST = 17;
    /** No such device. */
    public static final int ENODEV = 19;
    /** Not a directory. */
    public static final int ENOTDIR = 20;
    /** Invalid argument. */
    public static final int EINVAL = 22;
    /** Too many open files in the system. */
    public static final int ENFILE = 23;
    /** Too many open files in this process. */
    public static final int EMFILE = 24;
    /** No space left on device. */
    public static final int ENOSPC = 28;
    /** Broken pipe. */
    public static final int EPIPE = 32;
    /** File name too long. */
    public static final int ENAMETOOLONG = 36;
    /** Function not implemented. */
    public static final int ENOSYS = 38;
    /** Too many symbolic links. */
    public static final int ELOOP = 40;
    /** Socket operation on a non-socket. */
    public static final int ENOTSOCK = 88;
    /** Protocol not available. */
    public static final int ENOPROTOOPT = 92;
    /** Operation not supported. */
    public static final int EOPNOTSUPP = 95;
    /** Address family not supported. */
    public static final int EAFNOSUPPORT = 97;
    /** Address already in use. */
    public static final int EADDRINUSE = 98;
    /** Cannot assign requested address. */
    public static final int EADDRNOTAVAIL = 99;
    /** Network is unreachable. */
    public static final int ENETUNREACH = 101;
    /** Connection aborted. */
    public static final int ECONNABORTED = 103;
    /** Connection reset by peer. */
    public static final int ECONNRESET = 104;
    /** No buffer space available. */
    public static final int ENOBUFS = 105;
    /** Already connected. */
    public static final int EISCONN = 106;
    /** Not connected. */
    public static final int ENOTCONN = 107;
    /** Connection timed out. */
    public static final int ETIMEDOUT = 110;
    /** Connection refused. */
    public static final int ECONNREFUSED = 111;
    /** No route to host. */
    public static final int EHOSTUNREACH = 113;
    /** Operation already in progress. */
    public static final int EALREADY = 114;
    /** Operation now in progress (a non-blocking connect). */
    public static final int EINPROGRESS = 115;
    /** Operation cancelled. */
    public static final int ECANCELED = 125;

    private static final String[] NAMES = new String[126];

    static {
        name(EPERM, "EPERM");
        name(ENOENT, "ENOENT");
        name(ESRCH, "ESRCH");
        name(EINTR, "EINTR");
        name(EIO, "EIO");
        name(6, "ENXIO");
        name(7, "E2BIG");
        name(8, "ENOEXEC");
        name(EBADF, "EBADF");
        name(10, "ECHILD");
        name(EAGAIN, "EAGAIN");
        name(ENOMEM, "ENOMEM");
        name(EACCES, "EACCES");
        name(EFAULT, "EFAULT");
        name(EBUSY, "EBUSY");
        name(EEXIST, "EEXIST");
        name(18, "EXDEV");
        name(ENODEV, "ENODEV");
        name(ENOTDIR, "ENOTDIR");
        name(21, "EISDIR");
        name(EINVAL, "EINVAL");
        name(ENFILE, "ENFILE");
        name(EMFILE, "EMFILE");
        name(25, "ENOTTY");
        name(27, "EFBIG");
        name(ENOSPC, "ENOSPC");
        name(29, "ESPIPE");
        name(30, "EROFS");
        name(EPIPE, "EPIPE");
        name(34, "ERANGE");
        name(35, "EDEADLK");
        name(ENAMETOOLONG, "ENAMETOOLONG");
        name(ENOSYS, "ENOSYS");
        name(39, "ENOTEMPTY");
        name(ELOOP, "ELOOP");
        name(ENOTSOCK, "ENOTSOCK");
        name(89, "EDESTADDRREQ");
        name(90, "EMSGSIZE");
        name(91, "EPROTOTYPE");
        name(ENOPROTOOPT, "ENOPROTOOPT");
        name(93, "EPROTONOSUPPORT");
        name(EOPNOTSUPP, "EOPNOTSUPP");
        name(EAFNOSUPPORT, "EAFNOSUPPORT");
        name(EADDRINUSE, "EADDRINUSE");
        name(EADDRNOTAVAIL, "EADDRNOTAVAIL");
        name(100, "ENETDOWN");
        name(ENETUNREACH, "ENETUNREACH");
        name(ECONNABORTED, "ECONNABORTED");
        name(ECONNRESET, "ECONNRESET");
        name(ENOBUFS, "ENOBUFS");
        name(EISCONN, "EISCONN");
        name(ENOTCONN, "ENOTCONN");
        name(ETIMEDOUT, "ETIMEDOUT");
        name(ECONNREFUSED, "ECONNREFUSED");
        name(EHOSTUNREACH, "EHOSTUNREACH");
        name(EALREADY, "EALREADY");
        name(EINPROGRESS, "EINPROGRESS");
        name(ECANCELED, "ECANCELED");
    }

    private Errno() {
    }

    private static void name(int errno, String symbol) {
        NAMES[errno] = symbol;
    }

    /**
     * @param errno an errno value
     * @return its symbol, e.g. {@code "EBADF"}, or {@code "errno <n>"} when unknown here
     */
    public static String name(int errno) {
        if (errno > 0 && errno < NAMES.length && NAMES[errno] != null) {
            return NAMES[errno];
        }
        return "errno " + errno;
    }

    /**
     * Builds the typed exception for a failed call.
     *
     * @param call  the libc call, e.g. {@code "epoll_ctl(ADD)"}
     * @param errno the errno value
     * @param fd    the fd involved, or -1
     * @return the exception (to throw)
     */
    public static NativeCallException exception(String call, int errno, int fd) {
        return new NativeCallException(call, errno, name(errno), fd);
    }
}
