package org.aioloop.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.aioloop.api.NativeCallException;
import org.aioloop.posix.testing.NoFdLeak;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The thin wrappers: errno mapping, fds, read/write, timeouts, feature detection. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(NoFdLeak.class)
class PosixTest {

    @Test
    void errnoSymbols() {
        assertEquals("EBADF", Errno.name(9));
        assertEquals("EAGAIN", Errno.name(Errno.EAGAIN));
        assertEquals("EINPROGRESS", Errno.name(115));
        assertEquals("ENOSYS", Errno.name(38));
        assertEquals("errno 4242", Errno.name(4242));
        NativeCallException e = Errno.exception("epoll_ctl(ADD)", Errno.EEXIST, 12);
        assertEquals("epoll_ctl(ADD)", e.call());
        assertEquals("EEXIST", e.errnoName());
        assertEquals(12, e.fd());
        assertTrue(e.getMessage().contains("EEXIST") && e.getMessage().contains("fd 12"), e.getMessage());
    }

    @Test
    void closingAClosedFdNamesEbadfAndTheFd() {
        int fd = Posix.eventfd(0, Posix.EFD_CLOEXEC);
        Posix.close(fd);
        assertFalse(Posix.isOpen(fd));
        NativeCallException e = assertThrows(NativeCallException.class, () -> Posix.close(fd));
        assertEquals(Errno.EBADF, e.errno());
        assertEquals("close", e.call());
        assertEquals(fd, e.fd());
    }

    @Test
    void isOpenAndFdCounterFollowOpenAndClose() {
        int before = FdCounter.openFds();
        int fd = Posix.eventfd(0, Posix.EFD_CLOEXEC);
        assertTrue(Posix.isOpen(fd));
        assertEquals(before + 1, FdCounter.awaitOpenFds(before + 1, java.time.Duration.ofSeconds(2)));
        Posix.close(fd);
        assertFalse(Posix.isOpen(fd));
        assertFalse(Posix.isOpen(-1));
        assertTrue(FdCounter.awaitAtMost(before, java.time.Duration.ofSeconds(2)) <= before, "fds leaked: more open than the " + before + " before");
    }

    @Test
    void pipeReadWriteWithDirectBuffersAndWouldBlock() {
        int[] p = Posix.pipe2(Posix.O_NONBLOCK | Posix.O_CLOEXEC);
        try {
            ByteBuffer out = ByteBuffer.allocateDirect(16);
            out.put(new byte[] {9, 9, 1, 2, 3, 4, 5});
            out.flip().position(2);
            assertEquals(5, Posix.write(p[1], out));
            assertEquals(7, out.position());
            ByteBuffer in = ByteBuffer.allocateDirect(16);
            in.position(3);
            assertEquals(5, Posix.read(p[0], in));
            assertEquals(8, in.position());
            assertEquals(1, in.get(3));
            assertEquals(5, in.get(7));
            assertEquals(Posix.WOULD_BLOCK, Posix.read(p[0], in));
            assertThrows(IllegalArgumentException.class, () -> Posix.read(p[0], ByteBuffer.allocate(4)));
            Posix.close(p[1]);
            assertEquals(0, Posix.read(p[0], in), "end of file after the writer closed");
        } finally {
            Posix.close(p[0]);
            if (Posix.isOpen(p[1])) {
                Posix.close(p[1]);
            }
        }
    }

    @Test
    void writeToAPipeWithoutReaderIsEpipe() {
        int[] p = Posix.pipe2(Posix.O_NONBLOCK | Posix.O_CLOEXEC);
        Posix.close(p[0]);
        try (NativeBuffer b = NativeBuffer.allocate(1)) {
            // The JVM ignores SIGPIPE, so write fails with EPIPE instead of killing the process.
            NativeCallException e = assertThrows(NativeCallException.class, () -> Posix.write(p[1], b.address(), 1));
            assertEquals("EPIPE", e.errnoName());
            assertEquals(p[1], e.fd());
        } finally {
            Posix.close(p[1]);
        }
    }

    @Test
    void setNonBlockingAddsTheFlag() {
        int[] p = Posix.pipe2(Posix.O_CLOEXEC);
        try {
            assertEquals(0, Posix.fcntl(p[0], Posix.F_GETFL, 0) & Posix.O_NONBLOCK);
            Posix.setNonBlocking(p[0]);
            assertEquals(Posix.O_NONBLOCK, Posix.fcntl(p[0], Posix.F_GETFL, 0) & Posix.O_NONBLOCK);
        } finally {
            Posix.close(p[0]);
            Posix.close(p[1]);
        }
    }

    @Test
    void millisecondsRoundUp() {
        assertEquals(-1, Posix.millisRoundedUp(-1));
        assertEquals(0, Posix.millisRoundedUp(0));
        assertEquals(1, Posix.millisRoundedUp(1));
        assertEquals(1, Posix.millisRoundedUp(1_000_000));
        assertEquals(2, Posix.millisRoundedUp(1_000_001));
        assertEquals(Integer.MAX_VALUE, Posix.millisRoundedUp(Long.MAX_VALUE));
    }

    @Test
    void ppollHonoursNanosecondTimeouts() {
        try (Timespec ts = new Timespec()) {
            long t0 = System.nanoTime();
            assertEquals(0, Posix.ppoll(0, 0, 0, ts));
            assertEquals(0, Posix.ppoll(0, 0, 2_000_000L, ts));
            long took = System.nanoTime() - t0;
            assertTrue(took >= 2_000_000L, "ppoll(2 ms) returned after " + took);
            assertTrue(took < 2_000_000_000L, "ppoll(2 ms) took " + took);
        }
    }

    /** This machine's kernel (>= 5.11) and glibc (>= 2.35) have epoll_pwait2; it waits in ns. */
    @Test
    void epollPwait2IsDetectedAndWaits() {
        assertTrue(Posix.hasEpollPwait2(), "expected epoll_pwait2 on this kernel");
        int epfd = Posix.epollCreate1(Posix.EPOLL_CLOEXEC);
        try (Timespec ts = new Timespec(); NativeBuffer ev = NativeBuffer.allocate(16 * 4)) {
            long t0 = System.nanoTime();
            assertEquals(0, Posix.epollPwait2(epfd, ev.address(), 4, 400_000L, ts));
            assertTrue(System.nanoTime() - t0 >= 400_000L);
        } finally {
            Posix.close(epfd);
        }
    }

    @Test
    void openFileLimitIsReported() {
        assertTrue(Posix.openFileLimit() > FdCounter.openFds());
    }
}
