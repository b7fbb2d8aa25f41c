package org.aioloop.plugin.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.aioloop.plugin.testkit.DeviceHarness;
import org.aioloop.plugin.testkit.TestClient;
import org.aioloop.posix.Sockets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the server sets on the sockets it accepts. */
class StreamServerSocketOptionsTest {
    private static final Duration T = Duration.ofSeconds(10);

    /** Echoes each chunk back. */
    private static final StreamProtocol ECHO = new StreamProtocol() {
        @Override
        public void onOpen(StreamClient client) {
        }

        @Override
        public void onData(StreamClient client, ByteBuffer data) {
            client.send(data);
        }

        @Override
        public void onClose(StreamClient client, String reason) {
        }
    };

    private DeviceHarness harness;
    private StreamServer server;

    @BeforeEach
    void start() {
        harness = DeviceHarness.builder().name("stream-options").build();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            harness.run(server::stop);
        }
        harness.close();
    }

    private void startServer(ListenAddress address) {
        server = new StreamServer("options", address, ServerLimits.DEFAULT, ECHO);
        harness.run(() -> server.start(harness.context()));
    }

    private int onlyClientFd() {
        harness.await(() -> server.clients().size() == 1, "one accepted client");
        return harness.call(() -> server.clients().get(0).fd());
    }

    @Test
    void tcpClientsGetNoDelay() throws Exception {
        startServer(ListenAddress.tcp("127.0.0.1", 0, false));
        try (TestClient c = TestClient.tcp("127.0.0.1", server.localPort())) {
            int fd = onlyClientFd();
            assertTrue(harness.call(() -> Sockets.tcpNoDelay(fd)), "accepted TCP socket without TCP_NODELAY");
            c.send("ping\n", T);
            assertEquals("ping", c.readLine(T));
        }
    }

    @Test
    void unixClientsAreServedWithoutTcpOptions(@TempDir Path dir) throws Exception {
        startServer(ListenAddress.unix(dir.resolve("s.sock")));
        try (TestClient c = TestClient.unix(dir.resolve("s.sock"))) {
            onlyClientFd();
            c.send("ping\n".getBytes(StandardCharsets.US_ASCII), T);
            assertEquals("ping", c.readLine(T));
        }
    }
}
