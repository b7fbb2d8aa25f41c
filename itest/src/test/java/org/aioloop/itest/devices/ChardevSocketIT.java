package org.aioloop.itest.devices;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.aioloop.api.AioContext;
import org.aioloop.api.device.DeviceHandler;
import org.aioloop.api.device.DeviceInfo;
import org.aioloop.api.device.DeviceState;
import org.aioloop.api.host.LoopHost;
import org.aioloop.itest.support.ProcessResources;
import org.aioloop.plugin.stream.ServerStats;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * The socket chardev (plugins/chardev-socket) in Felix: one device per factory configuration of
 * {@code org.aioloop.chardev}, attached on {@code iohandler}, serving real clients over TCP on
 * 127.0.0.1 (echo) and a 0600 Unix socket (line console). Many clients at once with echoes larger
 * than the device's output limit (backpressure), the client limit, a reconnect storm, resets in the
 * middle of a write, partial lines held open and oversized lines: each gets a clean answer or a clean
 * close, the others are served throughout, and stopping the bundle leaves no fd, thread, socket file
 * or registration behind.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ChardevSocketIT extends DeviceTestSupport {
    /** Connections per burst of the reconnect storm: below the listen backlog. */
    private static final int STORM_BURST = 25;

    private static final String FACTORY_PID = "org.aioloop.chardev";
    private static final String BUNDLE = "plugin-chardev-socket";
    private static final int CLIENTS = 12;
    /** Four times the output limit configured below: the echo cannot flow without backpressure. */
    private static final int ECHO_BYTES = 256 * 1024;

    @Configuration
    public Option[] config() {
        return withDeviceLibraries();
    }

    @After
    public void cleanUp() throws IOException {
        deleteTempDirs();
    }

    @Test
    public void echoOverLoopbackTcpServesManyClientsWithBackpressureAndSurvivesResets() throws Exception {
        LoopHost host = host();
        ProcessResources baseline = baseline();
        org.osgi.service.cm.Configuration cfg = factoryConfiguration(FACTORY_PID, "aioloop.device", "echo-it",
                "port", 0, "maxClients", CLIENTS + 2, "outputLimitBytes", 64 * 1024, "readBufferBytes", 4096);
        Bundle b = installDevice(BUNDLE);
        try {
            DeviceInfo info = awaitDevice("echo-it", DeviceState.ATTACHED);
            assertEquals(AioContext.IOHANDLER, info.context());
            DeviceHandler device = deviceService("echo-it");
            int port = (int) callLong(device, "localPort");
            assertTrue("an ephemeral port was bound: " + port, port > 0);

            // Many clients at once, each on its own thread, each echo 4x the device's output limit.
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            try {
                List<Future<String>> results = new ArrayList<>();
                for (int i = 0; i < CLIENTS; i++) {
                    int seed = i;
                    results.add(pool.submit(echoClient(port, seed)));
                }
                for (Future<String> r : results) {
                    assertEquals("ok", r.get(timeout().toMillis(), TimeUnit.MILLISECONDS));
                }
            } finally {
                pool.shutdownNow();
                assertTrue(pool.awaitTermination(timeout().toMillis(), TimeUnit.MILLISECONDS));
            }
            await("all clients gone", () -> stats(device).active() == 0, () -> String.valueOf(stats(device)));
            ServerStats s = stats(device);
            assertEquals(CLIENTS, s.accepted());
            assertEquals((long) CLIENTS * ECHO_BYTES, s.bytesIn());
            assertEquals((long) CLIENTS * ECHO_BYTES, s.bytesOut());

            // A client resets the connection in the middle of a big write it never reads the echo
            // of, while another client is connected: the device drops the first at once and the
            // second is served as if nothing happened.
            try (SocketClient bystander = SocketClient.tcp(port, ioTimeout())) {
                for (int i = 0; i < 5; i++) {
                    SocketClient rude = SocketClient.tcp(port, ioTimeout());
                    rude.sendSome(new byte[1 << 20]);
                    rude.abort();
                    assertArrayEquals(("still here " + i).getBytes(),
                            bystander.exchange(("still here " + i).getBytes()));
                }
                // All five accepted (a reset connection can still sit in the accept queue when the
                // bystander's echo comes back; counted later it would spoil the storm's count)
                // and dropped again.
                await("reset clients accepted and cleaned up", () -> {
                    ServerStats now = stats(device);
                    return now.active() == 1 && now.accepted() == CLIENTS + 1 + 5;
                }, () -> String.valueOf(stats(device)));
            }

            // A reconnect storm: connect and close 200 times. Every connection is accounted for
            // (served, or refused while closed ones still counted against maxClients), all are
            // cleaned up, and then a client is served as before. In bursts of 25, below the listen
            // backlog (64): a connect completes in the kernel without the server, and if the accept
            // queue overflowed Linux would drop the handshake's last ACK, so a client that closes
            // at once would leave a connection the server never sees.
            for (int burst = 0; burst < 200 / STORM_BURST; burst++) {
                ServerStats beforeBurst = stats(device);
                for (int i = 0; i < STORM_BURST; i++) {
                    SocketClient.tcp(port, ioTimeout()).close();
                }
                int burstNo = burst;
                await("storm burst " + burstNo + " accounted for and cleaned up", () -> {
                    ServerStats now = stats(device);
                    return now.active() == 0 && now.accepted() + now.rejected() - beforeBurst.accepted()
                            - beforeBurst.rejected() == STORM_BURST;
                }, () -> String.valueOf(stats(device)));
            }
            try (SocketClient c = SocketClient.tcp(port, ioTimeout())) {
                assertArrayEquals("after the storm".getBytes(), c.exchange("after the storm".getBytes()));
            }
            await("storm cleaned up", () -> stats(device).active() == 0, () -> String.valueOf(stats(device)));
            assertEquals("no pooled buffer held by a departed client", 0L, callLong(device, "buffersOutstanding"));

            // Stopping the bundle closes the connected clients and the listener.
            SocketClient connected = SocketClient.tcp(port, ioTimeout());
            assertArrayEquals("x".getBytes(), connected.exchange("x".getBytes()));
            removeDevice(b, "echo-it");
            b = null;
            connected.readToEnd();
            connected.close();
            try {
                SocketClient.tcp(port, ioTimeout()).close();
                fail("port " + port + " still accepts after the device was removed");
            } catch (ConnectException expected) {
                // refused: the listener is closed
            }
        } finally {
            if (b != null) {
                b.uninstall();
            }
            deleteQuietly(cfg);
        }
        assertNothingLeft(baseline);
    }

    @Test
    public void tooManyClientsAreToldAndClosedWhileTheOthersAreServed() throws Exception {
        ProcessResources baseline = baseline();
        org.osgi.service.cm.Configuration cfg = factoryConfiguration(FACTORY_PID, "aioloop.device", "small-it",
                "port", 0, "maxClients", 2);
        Bundle b = installDevice(BUNDLE);
        try {
            awaitDevice("small-it", DeviceState.ATTACHED);
            DeviceHandler device = deviceService("small-it");
            int port = (int) callLong(device, "localPort");
            try (SocketClient one = SocketClient.tcp(port, ioTimeout());
                    SocketClient two = SocketClient.tcp(port, ioTimeout())) {
                assertArrayEquals("1".getBytes(), one.exchange("1".getBytes()));
                assertArrayEquals("2".getBytes(), two.exchange("2".getBytes()));
                try (SocketClient three = SocketClient.tcp(port, ioTimeout())) {
                    assertEquals("error: too many clients\n", three.readToEnd());
                }
                assertArrayEquals("1 again".getBytes(), one.exchange("1 again".getBytes()));
                assertEquals(1, stats(device).rejected());
            }
            removeDevice(b, "small-it");
            b = null;
        } finally {
            if (b != null) {
                b.uninstall();
            }
            deleteQuietly(cfg);
        }
        assertNothingLeft(baseline);
    }

    @Test
    public void lineConsoleOverAnOwnerOnlyUnixSocketHandlesPartialAndOversizedLines() throws Exception {
        ProcessResources baseline = baseline();
        Path socket = tempDir().resolve("console.sock");
        org.osgi.service.cm.Configuration cfg = factoryConfiguration(FACTORY_PID, "aioloop.device", "console-it",
                "transport", "unix", "path", socket.toString(), "mode", "console", "maxLineBytes", 64);
        Bundle b = installDevice(BUNDLE);
        try {
            awaitDevice("console-it", DeviceState.ATTACHED);
            assertEquals("the socket is the owner's only",
                    EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                    Files.getPosixFilePermissions(socket, LinkOption.NOFOLLOW_LINKS));
            try (SocketClient slow = SocketClient.unix(socket, ioTimeout());
                    SocketClient quick = SocketClient.unix(socket, ioTimeout())) {
                assertEquals("aioloop console; type help\n", slow.readThrough("> "));
                quick.readThrough("> ");

                // A partial line is held while another client is served.
                slow.send("echo par");
                quick.send("echo quick\n");
                assertEquals("quick\n", quick.readThrough("> "));
                slow.send("tial\n");
                assertEquals("partial\n", slow.readThrough("> "));

                // An oversized line is refused once, discarded up to its newline, and the
                // connection goes on serving.
                StringBuilder big = new StringBuilder("echo ");
                for (int i = 0; i < 500; i++) {
                    big.append('x');
                }
                quick.send(big + "\necho after\n");
                assertEquals("error: line too long (max 64 bytes)\n", quick.readThrough("> "));
                assertEquals("after\n", quick.readThrough("> "));

                quick.send("bogus\n");
                assertEquals("error: unknown command 'bogus' (try help)\n", quick.readThrough("> "));
                quick.send("quit\n");
                assertEquals("bye\n", quick.readToEnd());

                slow.send("echo still served\n");
                assertEquals("still served\n", slow.readThrough("> "));
            }
            removeDevice(b, "console-it");
            b = null;
            assertFalse("the socket file is removed with the device", Files.exists(socket, LinkOption.NOFOLLOW_LINKS));
        } finally {
            if (b != null) {
                b.uninstall();
            }
            deleteQuietly(cfg);
        }
        assertNothingLeft(baseline);
    }

    private static Callable<String> echoClient(int port, int seed) {
        return () -> {
            byte[] payload = new byte[ECHO_BYTES];
            new Random(seed).nextBytes(payload);
            try (SocketClient c = SocketClient.tcp(port, ioTimeout())) {
                byte[] back = c.exchange(payload);
                assertArrayEquals("client " + seed + " got its own bytes back", payload, back);
            }
            return "ok";
        };
    }

    private static ServerStats stats(DeviceHandler device) {
        return (ServerStats) call(device, "stats");
    }
}
