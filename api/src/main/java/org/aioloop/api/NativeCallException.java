package org.aioloop.api;

/**
 * A libc call failed. Names the call, the errno symbol (e.g. {@code EBADF}) and the fd involved.
 */
public class NativeCallException extends AioException {
    private static final long serialVersionUID = 1L;
    private final String call;
    private final int errno;
    private final String errnoName;
    private final int fd;

    /**
     * @param call      the libc function, e.g. {@code "epoll_ctl(ADD)"}
     * @param errno     the errno value
     * @param errnoName the errno symbol, e.g. {@code "EBADF"}
     * @param fd        the fd involved, or -1
     */
    public NativeCallException(String call, int errno, String errnoName, int fd) {
        super(call + " failed: " + errnoName + " (errno " + errno + ")" + (fd >= 0 ? " on fd " + fd : ""));
        this.call = call;
        this.errno = errno;
        this.errnoName = errnoName;
        this.fd = fd;
    }

    /**
     * @return the libc call that failed
     */
    public String call() {
        return call;
    }

    /**
     * @return the errno value
     */
    public int errno() {
        return errno;
    }

    /**
     * @return the errno symbol
     */
    public String errnoName() {
        return errnoName;
    }

    /**
     * @return the fd involved, or -1
     */
    public int fd() {
        return fd;
    }
}
