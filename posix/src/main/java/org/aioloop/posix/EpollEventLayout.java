package org.aioloop.posix;

import com.sun.jna.Platform;

/**
 * The layout of {@code struct epoll_event}: {@code uint32_t events} then a 64-bit
 * {@code epoll_data}. The kernel declares it {@code __attribute__((packed))} on x86-64 only, so it
 * is 12 bytes with the data at offset 4 there, and 16 bytes with the data at offset 8 elsewhere.
 *
 * @param size       {@code sizeof(struct epoll_event)}
 * @param dataOffset the offset of {@code data}
 */
public record EpollEventLayout(int size, int dataOffset) {
    /** The offset of {@code events}. */
    public static final int EVENTS_OFFSET = 0;
    /** The layout of the running platform. */
    public static final EpollEventLayout NATIVE = forArch(Platform.ARCH);

    /**
     * @param arch a JNA architecture name ({@code Platform.ARCH}: {@code "x86-64"}, {@code "aarch64"}, …)
     * @return the layout on that architecture
     */
    public static EpollEventLayout forArch(String arch) {
        return "x86-64".equals(arch) ? new EpollEventLayout(12, 4) : new EpollEventLayout(16, 8);
    }
}
