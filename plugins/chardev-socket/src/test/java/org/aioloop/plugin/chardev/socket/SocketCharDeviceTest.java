package org.aioloop.plugin.chardev.socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.aioloop.api.AioException;
import org.aioloop.api.InvalidConfigurationException;
import org.aioloop.plugin.stream.ListenAddress;
import org.aioloop.plugin.stream.ServerLimits;
import org.aioloop.plugin.testkit.DeviceHarness;
import org.aioloop.plugin.testkit.FdLeakCheck;
import org.aioloop.plugin.testkit.TestClient;
import org.aioloop.posix.FdCounter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The socket chardev on a real context (its own loop thread), talked to from the test thread over
 * loopback TCP and Unix sockets.
 */
class SocketCharDeviceTest {
    private static final Duration T = Duration.ofSeconds(10);
    private static FdLeakCheck fds;
    @TempDir
    Path dir;
    private DeviceHarness harness;
    private final List<TestClient> clients = new ArrayList<>();

    @BeforeAll
    static void countFds() {
        fds = FdLeakCheck.start();
    }

    @AfterAll
    static void noFdLeaked() {
        fds.assertNoLeak();
    }

    @BeforeEach
    void start() {
        harness = DeviceHarness.builder().name("chardev-test").build();
    }

    @AfterEach
    void stop() {
        clients.forEach(TestClient::close);
        harness.close();
    }

    private SocketCharDevice echo(ServerLimits limits) {
        return new SocketCharDevice("echo", ListenAddress.tcp("127.0.0.1", 0, false), CharDevMode.ECHO, limits, 1024);
    }

    private TestClient connect(SocketCharDevice d) throws Exception {
        TestClient c = TestClient.tcp("127.0.0.1", d.localPort());
        clients.add(c);
        return c;
    }

    private void awaitOnLoop(BooleanSupplier condition, String what) {
        harness.await(condition, what);
    }

    @Test
    void echoesOverTcpLoopback() throws Exception {
        SocketCharDevice d = echo(ServerLimits.DEFAULT);
        harness.attach(d);
        assertTrue(d.localPort() > 0);
        TestClient c = connect(d);
        c.send("hello, loop\n", T);
        assertEquals("hello, loop", c.readLine(T));
    }

    @Test
    void echoesOverIpv6Loopback() throws Exception {
        SocketCharDevice d = new SocketCharDevice("echo6", ListenAddress.tcp("::1", 0, false), CharDevMode.ECHO,
                ServerLimits.DEFAULT, 1024);
        harness.attach(d);
        try (TestClient c = TestClient.tcp("::1", d.localPort())) {
            c.send("six\n", T);
            assertEquals("six", c.readLine(T));
        }
    }

    @Test
    void echoesOverAnOwnerOnlyUnixSocketAndRemovesItAtDetach() throws Exception {
        Path sock = dir.resolve("chardev.sock");
        SocketCharDevice d = new SocketCharDevice("echo-unix", ListenAddress.unix(sock), CharDevMode.ECHO,
                ServerLimits.DEFAULT, 1024);
        harness.attach(d);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(sock)));
        try (TestClient c = TestClient.unix(sock)) {
            c.send("over unix\n", T);
            assertEquals("over unix", c.readLine(T));
        }
        assertEquals(List.of(), harness.detach(d));
        assertFalse(Files.exists(sock), "socket file removed at detach");
    }

    @Test
    void replacesAStaleSocketFileButNeverARegularFile() throws Exception {
        Path file = dir.resolve("not-a-socket");
        Files.writeString(file, "keep me");
        SocketCharDevice d = new SocketCharDevice("x", ListenAddress.unix(file), CharDevMode.ECHO, ServerLimits.DEFAULT, 1024);
        AioException e = assertThrows(AioException.class, () -> harness.attach(d));
        assertInstanceOf(InvalidConfigurationException.class, e.getCause());
        assertEquals("keep me", Files.readString(file));

        // a crashed process leaves its socket file behind; the JDK does not remove it on close either
        Path sock = dir.resolve("stale.sock");
        try (var ch = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            ch.bind(java.net.UnixDomainSocketAddress.of(sock));
        }
        assertTrue(Files.exists(sock));
        SocketCharDevice second = new SocketCharDevice("b", ListenAddress.unix(sock), CharDevMode.ECHO, ServerLimits.DEFAULT, 1024);
        harness.attach(second);
        try (TestClient c = TestClient.unix(sock)) {
            c.send("fresh\n", T);
            assertEquals("fresh", c.readLine(T));
        }
    }

    @Test
    void servesManyClientsAtOnce() throws Exception {
        SocketCharDevice d = echo(new ServerLimits(32, 4096, 16384, 64));
        harness.attach(d);
        int n = 24;
        List<CompletableFuture<Void>> runs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int seed = i;
            runs.add(CompletableFuture.runAsync(() -> {
                try (TestClient c = TestClient.tcp("127.0.0.1", d.localPort())) {
                    byte[] data = new byte[100_000];
                    new Random(seed).nextBytes(data);
                    // send and read in slices so neither side's buffers have to hold everything
                    for (int off = 0; off < data.length; off += 10_000) {
                        byte[] slice = java.util.Arrays.copyOfRange(data, off, off + 10_000);
                        c.send(slice, T);
                        assertArrayEquals(slice, c.readExactly(slice.length, T));
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }, runnable -> new Thread(runnable).start()));
        }
        CompletableFuture.allOf(runs.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
        awaitOnLoop(() -> d.stats().active() == 0, "all clients gone");
        assertEquals(n, d.stats().accepted());
        assertEquals(0, d.buffersOutstanding(), "every client's buffers went back to the pool");
    }

    @Test
    void clientThatDoesNotReadIsThrottledWhileOthersAreServed() throws Exception {
        int outputLimit = 4096;
        SocketCharDevice d = echo(new ServerLimits(4, 1024, outputLimit, 16));
        harness.attach(d);
        TestClient slow = connect(d);
        // Push without reading until the kernel buffers on both sides and the device's output
        // buffer are full: the device must stop reading from this client rather than buffer more.
        ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
        long sent = 0;
        int stalls = 0;
        while (stalls < 50) {
            chunk.clear();
            int n = slow.sendSome(chunk);
            sent += n;
            if (n == 0) {
                stalls++;
                // let the loop run a pass; a stall that lasts across passes means backpressure
                harness.run(() -> { });
            } else {
                stalls = 0;
            }
            if (sent > 64L * 1024 * 1024) {
                throw new AssertionError("the device kept reading from a client that never reads");
            }
        }
        long in = d.stats().bytesIn();
        long out = d.stats().bytesOut();
        assertTrue(in - out <= outputLimit, "at most one output buffer is held: in=" + in + " out=" + out);

        // another client is served meanwhile
        TestClient other = connect(d);
        other.send("still here\n", T);
        assertEquals("still here", other.readLine(T));

        // the slow client catches up: everything it sent comes back, in full
        long received = 0;
        long deadline = System.nanoTime() + T.toNanos();
        while (received < sent) {
            byte[] got = slow.readExactly((int) Math.min(65536, sent - received), T);
            received += got.length;
            assertTrue(System.nanoTime() < deadline, "echo of the backlog took too long");
        }
        assertEquals(sent, received);
    }

    @Test
    void extraClientsBeyondTheLimitAreToldAndClosed() throws Exception {
        SocketCharDevice d = echo(new ServerLimits(2, 1024, 4096, 16));
        harness.attach(d);
        TestClient a = connect(d);
        TestClient b = connect(d);
        a.send("a\n", T);
        assertEquals("a", a.readLine(T));
        b.send("b\n", T);
        assertEquals("b", b.readLine(T));
        TestClient c = connect(d);
        assertEquals("error: too many clients", c.readLine(T));
        assertTrue(c.awaitEof(T));
        assertEquals(1, d.stats().rejected());
        a.send("a again\n", T);
        assertEquals("a again", a.readLine(T));
    }

    @Test
    void abruptDisconnectsMidWriteAreCleanedUp() throws Exception {
        SocketCharDevice d = echo(new ServerLimits(8, 1024, 4096, 16));
        harness.attach(d);
        for (int i = 0; i < 20; i++) {
            TestClient c = TestClient.tcp("127.0.0.1", d.localPort());
            ByteBuffer junk = ByteBuffer.allocate(256 * 1024);
            while (junk.hasRemaining() && c.sendSome(junk) > 0) {
                // fill the pipe so the device has echo output pending
            }
            c.abort(); // RST while the device is writing to it
        }
        awaitOnLoop(() -> d.stats().active() == 0, "reset clients cleaned up");
        assertEquals(0, d.buffersOutstanding());
        TestClient ok = connect(d);
        ok.send("alive\n", T);
        assertEquals("alive", ok.readLine(T));
    }

    @Test
    void survivesAReconnectStorm() throws Exception {
        // room for connections the client closed but the loop has not reaped yet; the limit itself
        // is tested in extraClientsBeyondTheLimitAreToldAndClosed
        SocketCharDevice d = echo(new ServerLimits(64, 1024, 4096, 128));
        harness.attach(d);
        int openBefore = FdCounter.openFds();
        for (int i = 0; i < 300; i++) {
            try (TestClient c = TestClient.tcp("127.0.0.1", d.localPort())) {
                if (i % 3 == 0) {
                    c.send("x\n", T);
                    assertEquals("x", c.readLine(T));
                }
            }
        }
        awaitOnLoop(() -> d.stats().active() == 0, "storm clients gone");
        assertEquals(openBefore, FdCounter.openFds(), "no fd left behind by 300 connections");
        assertEquals(0, d.buffersOutstanding());
    }

    @Test
    void consoleModeRunsCommandsAndSurvivesBadLines() throws Exception {
        SocketCharDevice d = new SocketCharDevice("console", ListenAddress.tcp("127.0.0.1", 0, false), CharDevMode.CONSOLE,
                ServerLimits.DEFAULT, 32);
        harness.attach(d);
        TestClient c = connect(d);
        assertEquals("aioloop console; type help", c.readLine(T));
        c.send("echo hi there\n", T);
        assertEquals("> hi there", c.readLine(T));
        c.send("frobnicate\n", T);
        assertEquals("> error: unknown command 'frobnicate' (try help)", c.readLine(T));
        c.send("echo " + "y".repeat(100) + "\n", T);
        assertEquals("> error: line too long (max 32 bytes)", c.readLine(T));
        // a partial line is held while another client is served, then completed
        c.send("echo par", T);
        TestClient other = connect(d);
        assertEquals("aioloop console; type help", other.readLine(T));
        other.send("stats\n", T);
        assertTrue(other.readLine(T).startsWith("> clients 2 "));
        c.send("tial\n", T);
        assertEquals("> partial", c.readLine(T));
        c.send("quit\n", T);
        assertEquals("> bye", c.readLine(T));
        assertTrue(c.awaitEof(T));
    }

    @Test
    void badConfigurationNamesTheKey() {
        assertEquals("host", assertThrows(InvalidConfigurationException.class,
                () -> ListenAddress.of("tcp", "192.0.2.1", 1, null, false)).key());
        assertEquals("mode", assertThrows(InvalidConfigurationException.class, () -> CharDevMode.parse("loud")).key());
        assertEquals("maxLineBytes", assertThrows(InvalidConfigurationException.class,
                () -> new SocketCharDevice("x", ListenAddress.tcp("127.0.0.1", 0, false), CharDevMode.CONSOLE,
                        ServerLimits.DEFAULT, 0)).key());
    }

    @Test
    void portInUseFailsAttachAndLeavesNothingOpen() throws Exception {
        SocketCharDevice first = echo(ServerLimits.DEFAULT);
        harness.attach(first);
        int openBefore = FdCounter.openFds();
        SocketCharDevice second = new SocketCharDevice("dup", ListenAddress.tcp("127.0.0.1", first.localPort(), false),
                CharDevMode.ECHO, ServerLimits.DEFAULT, 1024);
        AioException e = assertThrows(AioException.class, () -> harness.attach(second));
        assertTrue(e.getMessage().contains("EADDRINUSE"), e.getMessage());
        assertEquals(openBefore, FdCounter.openFds());
        TestClient c = connect(first);
        c.send("first still serves\n", T);
        assertEquals("first still serves", c.readLine(T));
    }

    @Test
    void detachClosesClientsAndLeavesNothing() throws Exception {
        SocketCharDevice d = echo(ServerLimits.DEFAULT);
        var view = harness.attach(d);
        TestClient c = connect(d);
        c.send("x\n", T);
        assertEquals("x", c.readLine(T));
        assertFalse(view.liveResources().isEmpty());
        assertEquals(List.of(), harness.detach(d));
        assertTrue(c.awaitEof(T), "clients are closed when the device goes");
        assertEquals(0, d.buffersOutstanding());
    }
}
