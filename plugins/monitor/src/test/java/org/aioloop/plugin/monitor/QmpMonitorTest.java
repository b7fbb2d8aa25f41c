package org.aioloop.plugin.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.aioloop.core.ManualClockSource;
import org.aioloop.plugin.stream.ListenAddress;
import org.aioloop.plugin.stream.ServerLimits;
import org.aioloop.plugin.testkit.DeviceHarness;
import org.aioloop.plugin.testkit.FdLeakCheck;
import org.aioloop.plugin.testkit.TestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The monitor on a real context, over a real Unix socket, against a {@link FakeLoopHost}.
 */
class QmpMonitorTest {
    private static final Duration T = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static FdLeakCheck fds;
    @TempDir
    Path dir;
    private DeviceHarness harness;
    private FakeLoopHost host;
    private final ManualClockSource hostClocks = new ManualClockSource();
    private QmpMonitor monitor;
    private Path socket;
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
        harness = DeviceHarness.builder().name("iohandler").build();
        host = new FakeLoopHost(harness.context(), hostClocks);
        socket = dir.resolve("qmp.sock");
        monitor = new QmpMonitor("monitor", host, ListenAddress.unix(socket), new ServerLimits(8, 4096, 65536, 16),
                1024, 8, 300);
        harness.attach(monitor);
    }

    @AfterEach
    void stop() {
        clients.forEach(TestClient::close);
        harness.close();
    }

    private TestClient open() throws Exception {
        TestClient c = TestClient.unix(socket);
        clients.add(c);
        JsonNode greeting = read(c);
        assertEquals("0.1.0", greeting.path("QMP").path("version").path("aioloop").asText(), greeting.toString());
        assertTrue(greeting.path("QMP").path("capabilities").isArray());
        return c;
    }

    private TestClient negotiated() throws Exception {
        TestClient c = open();
        assertEquals("{}", command(c, "{\"execute\":\"qmp_capabilities\"}").path("return").toString());
        return c;
    }

    private static JsonNode read(TestClient c) throws Exception {
        return JSON.readTree(c.readLine(T));
    }

    private static JsonNode command(TestClient c, String line) throws Exception {
        c.send(line + "\n", T);
        return read(c);
    }

    private static void assertError(JsonNode reply, String errorClass, String descPart) {
        assertEquals(errorClass, reply.path("error").path("class").asText(), reply.toString());
        assertTrue(reply.path("error").path("desc").asText().contains(descPart), reply.toString());
    }

    @Test
    void listensOnAnOwnerOnlyUnixSocket() throws Exception {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
    }

    @Test
    void greetsAndRefusesCommandsBeforeNegotiation() throws Exception {
        TestClient c = open();
        assertError(command(c, "{\"execute\":\"query-status\"}"), "CommandNotFound", "qmp_capabilities");
        assertEquals("{}", command(c, "{\"execute\":\"qmp_capabilities\"}").path("return").toString());
        assertError(command(c, "{\"execute\":\"qmp_capabilities\"}"), "CommandNotFound", "already complete");
        assertTrue(command(c, "{\"execute\":\"query-status\"}").path("return").path("running").asBoolean());
    }

    @Test
    void stopAndContPauseAndResumeTheVirtualClock() throws Exception {
        TestClient c = negotiated();
        assertEquals("{}", command(c, "{\"execute\":\"stop\"}").path("return").toString());
        assertFalse(hostClocks.isVirtualRunning());
        JsonNode status = command(c, "{\"execute\":\"query-status\"}").path("return");
        assertEquals("paused", status.path("status").asText());
        assertFalse(status.path("running").asBoolean());
        command(c, "{\"execute\":\"cont\"}");
        assertTrue(hostClocks.isVirtualRunning());
        assertEquals("running", command(c, "{\"execute\":\"query-status\"}").path("return").path("status").asText());
    }

    @Test
    void queriesReportTheHost() throws Exception {
        TestClient c = negotiated();
        JsonNode backends = command(c, "{\"execute\":\"query-backends\"}").path("return");
        assertEquals(3, backends.size());
        assertEquals("epoll", backends.get(0).path("name").asText());
        assertEquals("not built", backends.get(2).path("unavailable-reason").asText());

        JsonNode threads = command(c, "{\"execute\":\"query-iothreads\"}").path("return");
        assertEquals("io1", threads.get(0).path("id").asText());
        assertEquals(32768, threads.get(0).path("poll-max-ns").asLong());

        JsonNode devices = command(c, "{\"execute\":\"query-devices\"}").path("return");
        assertEquals("attached", devices.get(0).path("state").asText());
        assertEquals("failed", devices.get(1).path("state").asText());
        assertEquals("timer 'x'", devices.get(1).path("leaked").get(0).asText());

        JsonNode stats = command(c, "{\"execute\":\"query-stats\"}").path("return");
        assertEquals("iohandler", stats.get(0).path("context").asText());
        assertTrue(stats.get(0).path("iterations").asLong() > 0);
        assertError(command(c, "{\"execute\":\"query-stats\",\"arguments\":{\"context\":\"nope\"}}"), "GenericError",
                "not found");

        JsonNode commands = command(c, "{\"execute\":\"query-commands\"}").path("return");
        assertEquals(QmpMonitor.commandNames().size() + 1, commands.size());
    }

    @Test
    void idsAreEchoedAndAsyncRepliesKeepRequestOrder() throws Exception {
        TestClient c = negotiated();
        // both in one write: set-backend completes later on another thread, query-status at once,
        // but the replies must come back in request order
        c.send("{\"execute\":\"set-backend\",\"arguments\":{\"backend\":\"poll\"},\"id\":1}\n"
                + "{\"execute\":\"query-status\",\"id\":\"two\"}\n", T);
        JsonNode first = read(c);
        JsonNode second = read(c);
        assertEquals(1, first.path("id").asInt(), first.toString());
        assertEquals("iohandler: poll", first.path("return").get(0).asText());
        assertEquals("two", second.path("id").asText(), second.toString());
        assertEquals(1, host.switches.get());
    }

    @Test
    void failedAndHangingAsyncCommandsGetErrorReplies() throws Exception {
        TestClient c = negotiated();
        assertError(command(c, "{\"execute\":\"set-backend\",\"arguments\":{\"backend\":\"kqueue\"}}"), "GenericError",
                "kqueue");
        // "hang" never completes: the 300 ms command timeout answers instead
        assertError(command(c, "{\"execute\":\"set-backend\",\"arguments\":{\"backend\":\"hang\"}}"), "GenericError",
                "timed out");
        assertTrue(command(c, "{\"execute\":\"query-status\"}").has("return"));
    }

    @Test
    void malformedRequestsGetErrorsAndTheConnectionGoesOn() throws Exception {
        TestClient c = negotiated();
        String deep = "{\"execute\":\"query-status\",\"arguments\":{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}}";
        String[][] cases = {
            {"{", "JSON parse error"},
            {"[]", "must be a JSON object"},
            {"42", "must be a JSON object"},
            {"\"str\"", "must be a JSON object"},
            {"{}", "lacks member 'execute'"},
            {"{\"execute\": 5}", "'execute' must be a string"},
            {"{\"execute\":\"query-status\",\"arguments\":[]}", "'arguments' must be an object"},
            {"{\"execute\":\"query-status\",\"bogus\":1}", "'bogus' is unexpected"},
            {"{\"execute\":\"query-status\",\"arguments\":{\"x\":1}}", "Parameter 'x' is unexpected"},
            {"{\"execute\":\"set-backend\",\"arguments\":{}}", "Parameter 'backend' is missing"},
            {"{\"execute\":\"set-backend\",\"arguments\":{\"backend\":1}}", "expected: string"},
            {"{\"execute\":\"query-status\"} {\"execute\":\"stop\"}", "JSON parse error"},
            {"{\"execute\":\"query-status\",\"execute\":\"stop\"}", "JSON parse error"},
            {deep, "JSON parse error"},
            {"{\"execute\":\"rm -rf /\"}", "has not been found"},
            {"{\"execute\":\"system_reset\"}", "has not been found"},
        };
        for (String[] k : cases) {
            JsonNode reply = command(c, k[0]);
            String expectedClass = k[1].equals("has not been found") ? "CommandNotFound" : "GenericError";
            assertError(reply, expectedClass, k[1]);
        }
        // invalid UTF-8
        c.send(new byte[] {'{', '"', (byte) 0xff, (byte) 0xfe, '"', ':', '1', '}', '\n'}, T);
        assertError(read(c), "GenericError", "JSON parse error");
        assertTrue(hostClocks.isVirtualRunning(), "no bad line ran stop");
        assertTrue(command(c, "{\"execute\":\"query-status\"}").has("return"));
    }

    @Test
    void oversizedLinesAreRejectedAndTheNextLineWorks() throws Exception {
        TestClient c = negotiated();
        String huge = "{\"execute\":\"query-status\",\"id\":\"" + "x".repeat(20_000) + "\"}";
        c.send(huge + "\n{\"execute\":\"query-status\",\"id\":7}\n", T);
        assertError(read(c), "GenericError", "too long");
        JsonNode next = read(c);
        assertEquals(7, next.path("id").asInt(), next.toString());
    }

    @Test
    void aPartialLineHeldOpenDoesNotBlockOtherClients() throws Exception {
        TestClient slow = negotiated();
        slow.send("{\"execute\":\"query-st", T);
        TestClient other = negotiated();
        assertTrue(command(other, "{\"execute\":\"query-status\"}").has("return"));
        slow.send("atus\"}\n", T);
        assertTrue(read(slow).has("return"));
    }

    @Test
    void aClientThatDoesNotReadItsRepliesIsThrottledAndLosesNothing() throws Exception {
        TestClient slow = negotiated();
        // Pump requests without reading replies until the monitor stops reading from us: its
        // output buffer is full and our socket buffer fills up behind it.
        StringBuilder batch = new StringBuilder();
        int sent = 0;
        int stalls = 0;
        java.nio.ByteBuffer pending = java.nio.ByteBuffer.allocate(0);
        while (stalls < 50) {
            if (!pending.hasRemaining()) {
                batch.setLength(0);
                for (int i = 0; i < 100; i++) {
                    batch.append("{\"execute\":\"query-status\",\"id\":").append(sent + i).append("}\n");
                }
                sent += 100;
                pending = java.nio.ByteBuffer.wrap(batch.toString().getBytes(StandardCharsets.UTF_8));
            }
            if (slow.sendSome(pending) == 0) {
                stalls++;
                harness.run(() -> { }); // let the loop run; a stall across passes is backpressure
            } else {
                stalls = 0;
            }
            assertTrue(sent < 2_000_000, "the monitor kept reading from a client that never reads");
        }
        // another client is served meanwhile
        TestClient other = negotiated();
        assertTrue(command(other, "{\"execute\":\"query-status\"}").has("return"));
        // finish the last batch from another thread while this one reads every reply: all
        // there, in order
        byte[] rest = java.util.Arrays.copyOfRange(pending.array(), pending.position(), pending.limit());
        CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
            try {
                slow.send(rest, T);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, runnable -> new Thread(runnable, "rest-sender").start());
        for (int i = 0; i < sent; i++) {
            JsonNode reply = read(slow);
            assertEquals(i, reply.path("id").asInt(), reply.toString());
        }
        sender.get(10, TimeUnit.SECONDS);
    }

    @Test
    void quitRepliesThenAsksTheHostToShutDown() throws Exception {
        TestClient c = negotiated();
        assertEquals("{}", command(c, "{\"execute\":\"quit\"}").path("return").toString());
        assertTrue(host.shutdown.await(10, TimeUnit.SECONDS));
    }

    @Test
    void manyClientsAndAReconnectStormLeaveNothingBehind() throws Exception {
        java.util.concurrent.atomic.AtomicInteger rejectedSeen = new java.util.concurrent.atomic.AtomicInteger();
        List<CompletableFuture<Void>> runs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            runs.add(CompletableFuture.runAsync(() -> {
                try {
                    for (int k = 0; k < 25; k++) {
                        // A connection closed a moment ago may not have been reaped by the loop
                        // yet, so a new one can find all 8 slots taken: it must then be told so and
                        // closed cleanly, and a retry gets in.
                        for (int attempt = 0;; attempt++) {
                            assertTrue(attempt < 1000, "never admitted");
                            try (TestClient c = TestClient.unix(socket)) {
                                JsonNode first = JSON.readTree(c.readLine(T));
                                if (first.has("error")) {
                                    assertEquals("too many monitor clients", first.path("error").path("desc").asText());
                                    assertTrue(c.awaitEof(T));
                                    rejectedSeen.incrementAndGet();
                                    continue;
                                }
                                assertTrue(first.has("QMP"), first.toString());
                                c.send("{\"execute\":\"qmp_capabilities\"}\n{\"execute\":\"query-devices\"}\n", T);
                                JSON.readTree(c.readLine(T));
                                JsonNode devices = JSON.readTree(c.readLine(T));
                                assertEquals(2, devices.path("return").size(), devices.toString());
                                break;
                            }
                        }
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            }, runnable -> new Thread(runnable).start()));
        }
        CompletableFuture.allOf(runs.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
        harness.await(() -> monitor.stats().active() == 0, "clients cleaned up");
        assertEquals(200, monitor.stats().accepted());
        assertEquals(rejectedSeen.get(), monitor.stats().rejected());
    }

    @Test
    void aClientBeyondTheLimitGetsAJsonErrorAndACleanClose() throws Exception {
        for (int i = 0; i < 8; i++) {
            open();
        }
        try (TestClient extra = TestClient.unix(socket)) {
            JsonNode reply = read(extra);
            assertError(reply, "GenericError", "too many monitor clients");
            assertTrue(extra.awaitEof(T));
        }
        assertEquals(1, monitor.stats().rejected());
        assertTrue(command(clients.get(0), "{\"execute\":\"qmp_capabilities\"}").has("return"), "the others go on");
    }

    @Test
    void abruptDisconnectMidRequestIsCleanedUp() throws Exception {
        for (int i = 0; i < 20; i++) {
            TestClient c = TestClient.unix(socket);
            c.send("{\"execute\":\"qmp_capabilities\"}\n{\"execute\":\"query-devi".getBytes(StandardCharsets.UTF_8), T);
            c.abort();
        }
        harness.await(() -> monitor.stats().active() == 0, "clients cleaned up");
        TestClient ok = negotiated();
        assertTrue(command(ok, "{\"execute\":\"query-status\"}").has("return"));
    }

    @Test
    void detachClosesClientsAndRemovesTheSocket() throws Exception {
        TestClient c = negotiated();
        assertEquals(List.of(), harness.detach(monitor));
        assertTrue(c.awaitEof(T));
        assertFalse(Files.exists(socket));
    }
}
