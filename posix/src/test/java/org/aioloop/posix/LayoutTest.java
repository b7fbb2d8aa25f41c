package org.aioloop.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Platform;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Struct layouts: the declared ones per architecture, and the native one checked against the kernel. */
class LayoutTest {
    @Test
    void epollEventIsPackedOnX8664Only() {
        assertEquals(new EpollEventLayout(12, 4), EpollEventLayout.forArch("x86-64"));
        assertEquals(new EpollEventLayout(16, 8), EpollEventLayout.forArch("aarch64"));
        assertEquals(new EpollEventLayout(16, 8), EpollEventLayout.forArch("riscv64"));
        assertEquals(EpollEventLayout.forArch(Platform.ARCH), EpollEventLayout.NATIVE);
    }

    @Test
    void fixedLayouts() {
        assertEquals(8, PollFdLayout.SIZE);
        assertEquals(4, PollFdLayout.EVENTS_OFFSET);
        assertEquals(6, PollFdLayout.REVENTS_OFFSET);
        assertEquals(16, Timespec.SIZE);
        assertEquals(128, SignalFd.SIGINFO_SIZE);
    }

    @Test
    void timespecSplitsNanoseconds() {
        try (Timespec ts = new Timespec()) {
            ts.set(3_000_000_007L);
            assertEquals(3_000_000_007L, ts.nanos());
            ts.set(999_999_999L);
            assertEquals(999_999_999L, ts.nanos());
        }
    }

    /**
     * The kernel fills two epoll_events with full 64-bit data: decoding them with the native layout
     * (stride and data offset) must give back exactly what was registered.
     */
    @Test
    void nativeEpollEventLayoutMatchesTheKernel() {
        EpollEventLayout l = EpollEventLayout.NATIVE;
        int epfd = Posix.epollCreate1(Posix.EPOLL_CLOEXEC);
        int a = Posix.eventfd(1, Posix.EFD_NONBLOCK | Posix.EFD_CLOEXEC);
        int b = Posix.eventfd(1, Posix.EFD_NONBLOCK | Posix.EFD_CLOEXEC);
        try (NativeBuffer ev = NativeBuffer.allocate(l.size()); NativeBuffer out = NativeBuffer.allocate(4 * l.size())) {
            Map<Long, Integer> expected = new HashMap<>();
            expected.put(0x1122334455667788L, a);
            expected.put(0x0102030405060708L ^ -1L, b);
            for (Map.Entry<Long, Integer> e : expected.entrySet()) {
                ev.putInt(EpollEventLayout.EVENTS_OFFSET, Posix.EPOLLIN);
                ev.putLong(l.dataOffset(), e.getKey());
                Posix.epollCtl(epfd, Posix.EPOLL_CTL_ADD, e.getValue(), ev.address());
            }
            assertEquals(2, Posix.epollWait(epfd, out.address(), 4, 0));
            for (int i = 0; i < 2; i++) {
                long data = out.getLong(i * l.size() + l.dataOffset());
                assertTrue(expected.containsKey(data), "decoded data " + Long.toHexString(data));
                assertEquals(Posix.EPOLLIN, out.getInt(i * l.size() + EpollEventLayout.EVENTS_OFFSET));
                expected.remove(data);
            }
            assertTrue(expected.isEmpty());
        } finally {
            Posix.close(a);
            Posix.close(b);
            Posix.close(epfd);
        }
    }
}
