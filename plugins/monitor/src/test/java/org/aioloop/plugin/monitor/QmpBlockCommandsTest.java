package org.aioloop.plugin.monitor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import org.aioloop.core.ManualClockSource;
import org.aioloop.plugin.block.BlockFileDevice;
import org.aioloop.plugin.stream.ListenAddress;
import org.aioloop.plugin.stream.ServerLimits;
import org.aioloop.plugin.testkit.DeviceHarness;
import org.aioloop.plugin.testkit.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Block-file requests driven through the monitor: both devices on one real context.
 */
class QmpBlockCommandsTest {
    private static final Duration T = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;
    private DeviceHarness harness;
    private TestClient client;
    private Path image;

    @BeforeEach
    void start() throws Exception {
        harness = DeviceHarness.builder().name("iohandler").build();
        image = dir.resolve("disk.img");
        BlockFileDevice disk = new BlockFileDevice("disk0", image, false, true, 65536, 4, 16);
        Path ro = dir.resolve("ro.img");
        Files.write(ro, new byte[] {1, 2, 3, 4});
        BlockFileDevice readOnly = new BlockFileDevice("ro0", ro, true, false, 0, 1, 0);
        harness.attach(disk);
        harness.attach(readOnly);
        Path socket = dir.resolve("qmp.sock");
        QmpMonitor monitor = new QmpMonitor("monitor", new FakeLoopHost(harness.context(), new ManualClockSource()),
                ListenAddress.unix(socket), new ServerLimits(4, 4096, 65536, 16), 65536, 8, 5000,
                () -> List.of(disk, readOnly));
        harness.attach(monitor);
        client = TestClient.unix(socket);
        client.readLine(T);
        command("{\"execute\":\"qmp_capabilities\"}");
    }

    @AfterEach
    void stop() {
        client.close();
        harness.close();
    }

    private JsonNode command(String line) throws Exception {
        client.send(line + "\n", T);
        return JSON.readTree(client.readLine(T));
    }

    private static void assertError(JsonNode reply, String errorClass, String descPart) {
        assertEquals(errorClass, reply.path("error").path("class").asText(), reply.toString());
        assertTrue(reply.path("error").path("desc").asText().contains(descPart), reply.toString());
    }

    @Test
    void writeReadFlushAndQueryThroughTheMonitor() throws Exception {
        byte[] data = "hello block device".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String b64 = Base64.getEncoder().encodeToString(data);
        JsonNode w = command("{\"execute\":\"block-write\",\"arguments\":{\"device\":\"disk0\",\"offset\":512,\"data\":\""
                + b64 + "\"}}");
        assertEquals(data.length, w.path("return").path("bytes").asInt(), w.toString());
        assertEquals("{}", command("{\"execute\":\"block-flush\",\"arguments\":{\"device\":\"disk0\"}}")
                .path("return").toString());
        JsonNode r = command("{\"execute\":\"block-read\",\"arguments\":{\"device\":\"disk0\",\"offset\":512,\"length\":"
                + data.length + "}}");
        assertArrayEquals(data, Base64.getDecoder().decode(r.path("return").path("data").asText()), r.toString());
        byte[] onDisk = java.util.Arrays.copyOfRange(Files.readAllBytes(image), 512, 512 + data.length);
        assertArrayEquals(data, onDisk, "the bytes really are in the file");

        JsonNode q = command("{\"execute\":\"query-block\"}").path("return");
        assertEquals("disk0", q.get(0).path("device").asText());
        assertEquals(1, q.get(0).path("stats").path("writes").asInt());
        assertEquals(1, q.get(0).path("stats").path("reads").asInt());
        assertEquals(1, q.get(0).path("stats").path("flushes").asInt());
        assertTrue(q.get(1).path("read-only").asBoolean());
    }

    @Test
    void badBlockRequestsGetErrors() throws Exception {
        assertError(command("{\"execute\":\"block-read\",\"arguments\":{\"device\":\"nope\",\"offset\":0,\"length\":1}}"),
                "DeviceNotFound", "'nope' not found");
        assertError(command("{\"execute\":\"block-read\",\"arguments\":{\"device\":\"disk0\",\"offset\":-1,\"length\":1}}"),
                "GenericError", "'offset' must be between");
        assertError(command("{\"execute\":\"block-read\",\"arguments\":{\"device\":\"disk0\",\"offset\":0,\"length\":999999}}"),
                "GenericError", "'length' must be between");
        assertError(command("{\"execute\":\"block-write\",\"arguments\":{\"device\":\"disk0\",\"offset\":0,\"data\":\"!!!\"}}"),
                "GenericError", "not valid base64");
        assertError(command("{\"execute\":\"block-write\",\"arguments\":{\"device\":\"ro0\",\"offset\":0,\"data\":\"AAAA\"}}"),
                "GenericError", "read-only");
        assertError(command("{\"execute\":\"block-flush\"}"), "GenericError", "'device' is missing");
        assertTrue(command("{\"execute\":\"query-block\"}").has("return"), "the monitor goes on");
    }
}
