package org.aioloop.posix;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * {@code epoll_pwait2} (glibc 2.35, Linux 5.11), bound separately from {@link LibC} because an older
 * libc lacks the symbol and the registration of this class then fails on its own.
 */
final class LibCPwait2 {
    static {
        Native.register(LibCPwait2.class, Platform.C_LIBRARY_NAME);
    }

    private LibCPwait2() {
    }

    static native int epoll_pwait2(int epfd, long events, int maxevents, long timespec, long sigmask);
}
