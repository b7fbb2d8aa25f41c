package org.aioloop.itest.devices;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The QMP-style monitor (plugins/monitor) in Felix, configured through its PID
 * {@code org.aioloop.monitor} to a 0600 Unix socket in a temporary directory, attached on
 * {@code iohandler}, talked to line by line as {@code socat} would: greeting, capabilities
 * negotiation, the queries, {@code set-backend} switching the live host (seen in
 * {@code query-backends} and in the contexts themselves), {@code stop}/{@code cont} of the VIRTUAL
 * clock; and bad input (malformed JSON, unknown commands, bad arguments, oversized lines, a client
 * that vanishes mid-request) answered with an error class and description while the connection and
 * the other clients go on. Removing the bundle leaves no fd, thread or socket file.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MonitorIT extends DeviceTestSupport {
    private static final String PID = "org.aioloop.monitor";
    private static final String NAME = "monitor";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Configuration
    public Option[] config() {
        return withDeviceLibraries();
    }

    @After
    public void cleanUp() throws IOException {
        deleteTempDirs();
    }

    @Test
    public void answersQueriesSteersTheHostAndSurvivesBadInput() throws Exception {
        LoopHost host = host();
        ProcessResources baseline = baseline();
        Path socket = tempDir().resolve("monitor.sock");
        org.osgi.service.cm.Configuration cfg = configuration(PID, "path", socket.toString(), "maxLineBytes", 1024);
        Bundle b = installDevice("plugin-monitor");
        try {
            DeviceInfo info = awaitDevice(NAME, DeviceState.ATTACHED);
            assertEquals(AioContext.IOHANDLER, info.context());
            assertEquals(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                    Files.getPosixFilePermissions(socket, LinkOption.NOFOLLOW_LINKS));
            DeviceHandler device = deviceService(NAME);

            try (SocketClient qmp = SocketClient.unix(socket, ioTimeout())) {
                JsonNode greeting = read(qmp);
                assertTrue(greeting.toString(), greeting.path("QMP").path("version").has("aioloop"));
                assertTrue(greeting.toString(), greeting.path("QMP").path("capabilities").isArray());

                assertError(request(qmp, "{\"execute\": \"query-status\"}"), "CommandNotFound", "qmp_capabilities");
                assertEquals("{}", returned(request(qmp, "{\"execute\": \"qmp_capabilities\"}")).toString());
                assertError(request(qmp, "{\"execute\": \"qmp_capabilities\"}"), "CommandNotFound", "already");

                JsonNode status = request(qmp, "{\"execute\": \"query-status\", \"id\": 7}");
                assertEquals("the id is echoed", 7, status.path("id").asInt());
                assertTrue(status.toString(), returned(status).path("running").asBoolean());
                assertEquals("running", returned(status).path("status").asText());

                // set-backend switches the live host; query-backends and the contexts agree.
                JsonNode backends = returned(request(qmp, "{\"execute\": \"query-backends\"}"));
                assertNotNull("poll is listed: " + backends, backend(backends, "poll"));
                assertNotNull("epoll is listed: " + backends, backend(backends, "epoll"));
                for (String target : new String[] {"poll", "epoll"}) {
                    JsonNode switched = request(qmp, "{\"execute\": \"set-backend\", \"arguments\": {\"backend\": \""
                            + target + "\"}}");
                    assertTrue(switched.toString(), returned(switched).isArray() && returned(switched).size() > 0);
                    assertTrue("every context on " + target + ": " + backendsInUse(host), allOn(host, target));
                    backends = returned(request(qmp, "{\"execute\": \"query-backends\"}"));
                    List<String> usedBy = strings(backend(backends, target).path("used-by"));
                    List<String> contexts = new ArrayList<>();
                    for (AioContext c : host.contexts()) {
                        contexts.add(c.name());
                    }
                    assertTrue(target + " used by every context: " + backends, usedBy.containsAll(contexts));
                    String other = target.equals("poll") ? "epoll" : "poll";
                    List<String> otherUsers = strings(backend(backends, other).path("used-by"));
                    otherUsers.retainAll(contexts);
                    assertEquals(other + " used by no AioContext: " + backends, List.of(), otherUsers);
                }
                assertError(request(qmp, "{\"execute\": \"set-backend\", \"arguments\": {\"backend\": \"nope\"}}"),
                        "GenericError", "nope");
                assertError(request(qmp, "{\"execute\": \"set-backend\"}"), "GenericError", "backend");
                assertTrue("a refused switch changes nothing: " + backendsInUse(host), allOn(host, "epoll"));
                returned(request(qmp, "{\"execute\": \"set-backend\", \"arguments\": {\"backend\": \"auto\"}}"));

                // stop/cont pause and resume the VIRTUAL clock of the whole host.
                returned(request(qmp, "{\"execute\": \"stop\"}"));
                assertFalse(host.clocks().isVirtualRunning());
                JsonNode paused = returned(request(qmp, "{\"execute\": \"query-status\"}"));
                assertEquals("paused", paused.path("status").asText());
                returned(request(qmp, "{\"execute\": \"cont\"}"));
                assertTrue(host.clocks().isVirtualRunning());

                JsonNode devices = returned(request(qmp, "{\"execute\": \"query-devices\"}"));
                JsonNode me = null;
                for (JsonNode d : devices) {
                    if (NAME.equals(d.path("name").asText())) {
                        me = d;
                    }
                }
                assertNotNull("the monitor lists itself: " + devices, me);
                assertEquals("attached", me.path("state").asText());
                assertEquals(AioContext.IOHANDLER, me.path("context").asText());
                JsonNode stats = returned(request(qmp, "{\"execute\": \"query-stats\", \"arguments\": {\"context\": \"iohandler\"}}"));
                assertEquals(1, stats.size());
                assertTrue(stats.toString(), stats.get(0).path("fd-dispatches").asLong() > 0);

                // Bad input: each gets an error reply; the same connection goes on serving.
                assertError(request(qmp, "{\"execute\": "), "GenericError", "JSON parse error");
                assertError(request(qmp, "[1, 2]"), "GenericError", "object");
                assertError(request(qmp, "{\"execute\": \"format-disk\"}"), "CommandNotFound", "format-disk");
                assertError(request(qmp, "{\"execute\": \"query-status\", \"arguments\": {\"x\": 1}}"), "GenericError",
                        "'x' is unexpected");
                assertError(request(qmp, "{\"execute\": 42}"), "GenericError", "string");
                StringBuilder big = new StringBuilder("{\"execute\": \"query-status\", \"id\": \"");
                while (big.length() < 5000) {
                    big.append('y');
                }
                assertError(request(qmp, big + "\"}"), "GenericError", "too long");
                assertEquals("running", returned(request(qmp, "{\"execute\": \"query-status\"}")).path("status").asText());

                // A client that vanishes in the middle of a request, another mid-greeting: the
                // device closes them and goes on serving this one.
                try (SocketClient gone = SocketClient.unix(socket, ioTimeout())) {
                    read(gone);
                    gone.send("{\"execute\": \"qmp_capab");
                }
                SocketClient.unix(socket, ioTimeout()).close();
                await("vanished clients cleaned up", () -> stats(device).active() == 1,
                        () -> String.valueOf(stats(device)));
                assertEquals("running", returned(request(qmp, "{\"execute\": \"query-status\"}")).path("status").asText());
            }

            removeDevice(b, NAME);
            b = null;
            assertFalse("the socket file is removed with the device", Files.exists(socket, LinkOption.NOFOLLOW_LINKS));
        } finally {
            if (b != null) {
                b.uninstall();
            }
            deleteQuietly(cfg);
            host.clocks().resumeVirtual();
        }
        assertNothingLeft(baseline);
    }

    private static JsonNode request(SocketClient qmp, String line) throws IOException {
        qmp.send(line + "\n");
        return read(qmp);
    }

    private static JsonNode read(SocketClient qmp) throws IOException {
        String line = qmp.readLine();
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new AssertionError("the monitor sent a line that is not JSON: " + line, e);
        }
    }

    private static JsonNode returned(JsonNode reply) {
        assertTrue("a return reply: " + reply, reply.has("return"));
        return reply.get("return");
    }

    private static void assertError(JsonNode reply, String errorClass, String descContains) {
        assertTrue("an error reply: " + reply, reply.has("error"));
        assertEquals(reply.toString(), errorClass, reply.path("error").path("class").asText());
        String desc = reply.path("error").path("desc").asText();
        assertFalse("a description: " + reply, desc.isEmpty());
        if (descContains != null) {
            assertTrue(reply.toString(), desc.contains(descContains));
        }
    }

    private static JsonNode backend(JsonNode backends, String name) {
        for (JsonNode b : backends) {
            if (name.equals(b.path("name").asText())) {
                return b;
            }
        }
        return null;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : array) {
            out.add(n.asText());
        }
        return out;
    }

    private static ServerStats stats(DeviceHandler device) {
        return (ServerStats) call(device, "stats");
    }
}
