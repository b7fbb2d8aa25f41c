package org.aioloop.posix;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * The libc functions aioloop uses, bound by JNA direct mapping. Pointers are raw addresses
 * ({@code long}, so LP64 only), sizes are {@code long} ({@code size_t}). errno after a failing call
 * is {@code Native.getLastError()} on the same thread. Variadic {@code fcntl} is declared with one
 * int argument, which matches the calling convention of the supported 64-bit Linux ABIs.
 */
final class LibC {
    static {
        if (Native.POINTER_SIZE != 8) {
            throw new UnsupportedOperationException("aioloop posix needs a 64-bit JVM");
        }
        Native.register(LibC.class, Platform.C_LIBRARY_NAME);
    }

    private LibC() {
    }

    static native int eventfd(int initval, int flags);

    static native int pipe2(long fds, int flags);

    static native long read(int fd, long buf, long count);

    static native long write(int fd, long buf, long count);

    static native int close(int fd);

    static native int fcntl(int fd, int cmd, int arg);

    static native int ppoll(long fds, long nfds, long timespec, long sigmask);

    static native int epoll_create1(int flags);

    static native int epoll_ctl(int epfd, int op, int fd, long event);

    static native int epoll_wait(int epfd, long events, int maxevents, int timeoutMillis);

    static native int socket(int domain, int type, int protocol);

    static native int socketpair(int domain, int type, int protocol, long sv);

    static native int bind(int fd, long addr, int addrlen);

    static native int listen(int fd, int backlog);

    static native int accept4(int fd, long addr, long addrlenPtr, int flags);

    static native int connect(int fd, long addr, int addrlen);

    static native int getsockopt(int fd, int level, int optname, long optval, long optlenPtr);

    static native int setsockopt(int fd, int level, int optname, long optval, int optlen);

    static native int getsockname(int fd, long addr, long addrlenPtr);

    static native int shutdown(int fd, int how);

    static native int chmod(String path, int mode);

    static native int sched_setaffinity(int pid, long cpusetsize, long mask);

    static native int sched_getaffinity(int pid, long cpusetsize, long mask);

    /** Returns the error number itself (not -1/errno), like all pthread functions. */
    static native int pthread_sigmask(int how, long set, long oldset);

    static native int signalfd(int fd, long mask, int flags);

    static native int getrlimit(int resource, long rlim);

    static native int raise(int sig);

    static native int gettid();

    static native int setpriority(int which, int who, int prio);

    static native int getpriority(int which, int who);

    static native int tgkill(int tgid, int tid, int sig);
}
