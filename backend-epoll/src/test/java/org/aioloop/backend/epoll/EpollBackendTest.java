package org.aioloop.backend.epoll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import org.aioloop.api.InvalidFdException;
import org.aioloop.api.IoEvents;
import org.aioloop.api.backend.FdMonitor;
import org.aioloop.api.backend.PollBackend;
import org.aioloop.api.backend.ReadySet;
import org.aioloop.posix.FdCounter;
import org.aioloop.posix.Posix;
import org.aioloop.posix.testing.Fds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovery, nesting through the pollable fd, and epoll-specific refusals. */
class EpollBackendTest {
    @Test
    void serviceLoaderFindsIt() {
        long found = ServiceLoader.load(PollBackend.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(b -> "epoll".equals(b.name()))
                .count();
        assertEquals(1, found);
    }

    @Test
    void nameRankAndAvailability() {
        PollBackend b = new EpollBackend();
        assertEquals("epoll", b.name());
        assertEquals(100, b.rank());
        assertTrue(b.isAvailable(), b.unavailableReason());
    }

    /** A parent monitor waits on a child monitor's epoll fd (a context nested in another loop). */
    @Test
    void aParentMonitorWakesWhenTheChildHasAReadyFd() {
        int before = FdCounter.openFds();
        try (Fds fds = new Fds(); FdMonitor child = new EpollBackend().open(); FdMonitor parent = new EpollBackend().open()) {
            int e = fds.eventfd();
            child.add(e, IoEvents.IN, 1);
            parent.add(child.pollableFd(), IoEvents.IN, 2);
            ReadySet ready = new ReadySet();
            assertEquals(0, parent.wait(0, ready));
            fds.signal(e);
            assertEquals(1, parent.wait(1_000_000_000L, ready));
            assertEquals(2, ready.token(0));
            assertEquals(1, child.wait(0, ready));
            assertEquals(e, ready.fd(0));
            parent.remove(child.pollableFd());
        }
        assertTrue(FdCounter.awaitAtMost(before, java.time.Duration.ofSeconds(2)) <= before, "fds leaked: more open than the " + before + " before");
    }

    /** epoll refuses regular files (EPERM): a typed error naming the fd, nothing registered. */
    @Test
    void aRegularFileIsRefusedWithATypedError(@TempDir Path dir) throws Exception {
        Path file = Files.createFile(dir.resolve("plain"));
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(file.toFile(), "r");
                FdMonitor m = new EpollBackend().open()) {
            int fd = fdOf(raf);
            InvalidFdException x = assertThrows(InvalidFdException.class, () -> m.add(fd, IoEvents.IN, 1));
            assertEquals(fd, x.fd());
            assertTrue(x.getMessage().contains("EPERM"), x.getMessage());
            assertEquals(0, m.size());
        }
    }

    /** The fd number of an open file, found through /proc/self/fd (no reflection into the JDK). */
    private static int fdOf(java.io.RandomAccessFile raf) {
        assertTrue(raf.getChannel().isOpen());
        for (var entry : FdCounter.describeOpenFds().entrySet()) {
            if (entry.getValue().endsWith("/plain") && Posix.isOpen(entry.getKey())) {
                return entry.getKey();
            }
        }
        throw new AssertionError("the file's fd is not in /proc/self/fd");
    }

    /** On this kernel (>= 5.11) the deployed backend waits with epoll_pwait2; the fallback test covers ppoll. */
    @Test
    void usesEpollPwait2WhenTheKernelHasIt() {
        try (FdMonitor m = new EpollBackend().open(); FdMonitor fallback = new EpollBackend(false).open()) {
            assertEquals(Posix.hasEpollPwait2(), m.toString().contains("epoll_pwait2"), m.toString());
            assertTrue(fallback.toString().contains("ppoll"), fallback.toString());
        }
    }
}
