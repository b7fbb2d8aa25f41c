package org.aioloop.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.aioloop.api.NativeCallException;
import org.aioloop.posix.testing.Fds;
import org.aioloop.posix.testing.NoFdLeak;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Sockets} on 127.0.0.1, ::1 and a Unix socket in a temporary directory. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(NoFdLeak.class)
class SocketsTest {
    private Fds fds;

    @BeforeEach
    void open() {
        fds = new Fds();
    }

    @AfterEach
    void close() {
        fds.close();
    }

    /** Sends bytes both ways over a connected pair and reads them back. */
    private void exchange(int[] pair) {
        fds.write(pair[0], 5);
        assertEquals(5, readSoon(pair[1]));
        fds.write(pair[1], 3);
        assertEquals(3, readSoon(pair[0]));
    }

    private long readSoon(int fd) {
        try (NativeBuffer pfd = NativeBuffer.allocate(8); Timespec ts = new Timespec()) {
            pfd.putInt(0, fd);
            pfd.putShort(4, Posix.POLLIN);
            assertEquals(1, Posix.ppoll(pfd.address(), 1, 5_000_000_000L, ts), "fd " + fd + " never readable");
        }
        return fds.drain(fd);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void tcpLoopbackConnectsOnAnEphemeralPortAndCarriesData(String host) {
        int listener = fds.track(Sockets.listenTcp(host, 0, 8));
        int port = Sockets.localPort(listener);
        assertTrue(port > 0 && port < 65536, "port " + port);
        int client = fds.track(Sockets.connectTcp(host, port));
        assertTrue(Sockets.awaitConnected(client, 5_000_000_000L));
        int server = fds.track(Fds.acceptWithin(listener));
        assertEquals(0, Sockets.soError(client));
        assertEquals(Posix.WOULD_BLOCK, Sockets.accept(listener), "only one connection was pending");
        assertTrue((Posix.fcntl(server, Posix.F_GETFL, 0) & Posix.O_NONBLOCK) != 0, "accepted fd is non-blocking");
        assertEquals(Posix.FD_CLOEXEC, Posix.fcntl(server, Posix.F_GETFD, 0) & Posix.FD_CLOEXEC);
        exchange(new int[] {client, server});
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::1"})
    void tcpNoDelayIsSetAndCleared(String host) {
        int listener = fds.track(Sockets.listenTcp(host, 0, 8));
        int client = fds.track(Sockets.connectTcp(host, Sockets.localPort(listener)));
        assertTrue(Sockets.awaitConnected(client, 5_000_000_000L));
        int server = fds.track(Fds.acceptWithin(listener));
        assertFalse(Sockets.tcpNoDelay(server), "Nagle is on by default");
        Sockets.setTcpNoDelay(server, true);
        assertTrue(Sockets.tcpNoDelay(server));
        Sockets.setTcpNoDelay(server, false);
        assertFalse(Sockets.tcpNoDelay(server));
        exchange(new int[] {client, server});
    }

    @Test
    void tcpNoDelayOnANonTcpFdNamesTheOptionAndTheFd() {
        int[] p = fds.pipe();
        NativeCallException x = assertThrows(NativeCallException.class, () -> Sockets.setTcpNoDelay(p[0], true));
        assertEquals(p[0], x.fd());
        assertTrue(x.getMessage().contains("TCP_NODELAY"), x.getMessage());
    }

    @Test
    void unixSocketConnectsAndItsFileIsPrivate(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("s.sock");
        int listener = fds.track(Sockets.listenUnix(file, 8));
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
        assertEquals(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE), mode);
        int client = fds.track(Sockets.connectUnix(file));
        assertTrue(Sockets.awaitConnected(client, 5_000_000_000L));
        int server = fds.track(Fds.acceptWithin(listener));
        exchange(new int[] {client, server});
    }

    @Test
    void socketpairIsConnected() {
        exchange(fds.socketpair());
    }

    @Test
    void connectToAClosedPortIsRefused() {
        int listener = Sockets.listenTcp("127.0.0.1", 0, 1);
        int port = Sockets.localPort(listener);
        Posix.close(listener);
        int before = FdCounter.openFds();
        // Either connect fails at once, or the refusal arrives asynchronously through SO_ERROR.
        NativeCallException e = assertThrows(NativeCallException.class, () -> {
            int fd = fds.track(Sockets.connectTcp("127.0.0.1", port));
            Sockets.awaitConnected(fd, 5_000_000_000L);
        });
        assertEquals(Errno.ECONNREFUSED, e.errno(), e.getMessage());
        assertEquals("ECONNREFUSED", e.errnoName());
        fds.close();
        fds = new Fds();
        assertTrue(FdCounter.awaitAtMost(before, java.time.Duration.ofSeconds(2)) <= before, "the failed socket was closed");
    }

    @Test
    void bindingAnAddressInUseNamesTheErrnoAndLeaksNothing() {
        int listener = fds.track(Sockets.listenTcp("127.0.0.1", 0, 1));
        int port = Sockets.localPort(listener);
        int before = FdCounter.openFds();
        NativeCallException e = assertThrows(NativeCallException.class, () -> Sockets.listenTcp("127.0.0.1", port, 1));
        assertEquals("EADDRINUSE", e.errnoName());
        assertTrue(e.call().startsWith("bind"), e.call());
        assertTrue(FdCounter.awaitAtMost(before, java.time.Duration.ofSeconds(2)) <= before, "fds leaked: more open than the " + before + " before");
    }

    @Test
    void tooLongUnixPathIsRejectedWithoutLeaking(@TempDir Path dir) {
        Path file = dir.resolve("x".repeat(120));
        int before = FdCounter.openFds();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sockets.listenUnix(file, 1));
        assertTrue(e.getMessage().contains("107"), e.getMessage());
        assertTrue(FdCounter.awaitAtMost(before, java.time.Duration.ofSeconds(2)) <= before, "fds leaked: more open than the " + before + " before");
    }

    @Test
    void shutdownWriteGivesThePeerEndOfFile() {
        int[] pair = fds.socketpair();
        Sockets.shutdown(pair[0], Sockets.SHUT_WR);
        assertEquals(0, readSoon(pair[1]), "EOF after the peer's SHUT_WR");
    }
}
