package org.aioloop.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The assembled distribution ({@code target/aioloop}, built at {@code package}) run as a user runs
 * it: {@code bin/aioloop} in a child process, each test on its own copy of the layout.
 */
class DistributionIT {
    private static final Duration RUN = Duration.ofSeconds(60);
    private static final Duration EVENT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;
    private Path home;

    @BeforeEach
    void copyLayout() throws IOException {
        Path dist = Path.of(System.getProperty("aioloop.dist.dir", "target/aioloop"));
        assertTrue(Files.isExecutable(dist.resolve("bin/aioloop")), "run 'mvn verify': no " + dist + "/bin/aioloop");
        home = tmp.resolve("aioloop");
        try (Stream<Path> all = Files.walk(dist)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path rel = dist.relativize(p);
                if (rel.startsWith("felix-cache")) {
                    continue;
                }
                Path target = home.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    @Test
    void commandsOnTheCommandLineRunAndTheHostExitsZero() throws Exception {
        try (HostProcess host = HostProcess.start(home, "-c", "lb; echo done")) {
            assertEquals(ExitStatus.OK, host.awaitExit(RUN), () -> "stderr: " + host.stderr());
            List<String> out = host.stdout();
            int bundles = jarCount();
            long active = out.stream().filter(l -> l.contains("|Active ")).count();
            assertEquals(bundles + 1, active, "every bundle and the system bundle are Active: " + out);
            assertEquals("done", out.get(out.size() - 1), "both statements' output, in order");
            assertTrue(host.stderr().stream().anyMatch(l -> l.matches("aioloop: " + bundles
                    + " bundles active in \\d+\\.\\d\\d s")), "the start-up line: " + host.stderr());
        }
    }

    @Test
    void commandsOnStdinRunAsTheyArriveAndEndOfInputExits() throws Exception {
        try (HostProcess host = HostProcess.start(home)) {
            host.send("echo first");
            host.awaitStdout("first"::equals, EVENT); // ran before stdin ended: streamed, not slurped
            host.send("lb -s org.aioloop.api");
            host.closeStdin();
            assertEquals(ExitStatus.OK, host.awaitExit(RUN), () -> "stderr: " + host.stderr());
            assertTrue(host.stdout().stream().anyMatch(l -> l.contains("org.aioloop.api") && l.contains("Active")),
                    host.stdout().toString());
        }
    }

    @Test
    void aFailingCommandStopsTheScriptWithStatusOne() throws Exception {
        try (HostProcess host = HostProcess.start(home, "-c", "echo one; nosuchcommand; echo never")) {
            assertEquals(ExitStatus.COMMAND_FAILED, host.awaitExit(RUN));
            assertEquals(List.of("one"), host.stdout());
            assertTrue(host.stderr().stream().anyMatch(l -> l.contains("command failed: nosuchcommand")),
                    host.stderr().toString());
        }
    }

    @Test
    void theDaemonStopsCleanlyOnSigtermThroughTheSignalsDevice() throws Exception {
        try (HostProcess host = HostProcess.start(home, "--daemon")) {
            host.awaitStderr(l -> l.contains("device 'signals' attached"), EVENT);
            host.terminate();
            assertEquals(ExitStatus.OK, host.awaitExit(RUN), "SIGTERM asks the host to shut down: " + host.stderr());
            assertTrue(host.stderr().stream().anyMatch(l -> l.contains("SIGTERM") && l.contains("shutting down")),
                    host.stderr().toString());
            assertTrue(host.stderr().contains("aioloop: stopped"), host.stderr().toString());
        }
    }

    @Test
    void sighupReloadsTheConfigurationAndTheHostKeepsRunning() throws Exception {
        try (HostProcess host = HostProcess.start(home, "--daemon")) {
            host.awaitStderr(l -> l.contains("device 'signals' attached"), EVENT);
            for (int n = 1; n <= 2; n++) {
                new ProcessBuilder("kill", "-HUP", Long.toString(host.pid())).start().waitFor();
                int reloads = n;
                host.awaitStderr(l -> l.contains("reloading configuration")
                        && count(host.stderr(), "reloading configuration") >= reloads, EVENT);
            }
            host.terminate();
            assertEquals(ExitStatus.OK, host.awaitExit(RUN), host.stderr().toString());
        }
    }

    @Test
    void withoutTheSignalsDeviceTheShutdownHookStopsTheHostOnSigterm() throws Exception {
        try (Stream<Path> jars = Files.list(home.resolve("bundles"))) {
            for (Path jar : jars.filter(p -> p.getFileName().toString().startsWith("plugin-signals")).collect(Collectors.toList())) {
                Files.delete(jar);
            }
        }
        try (HostProcess host = HostProcess.start(home, "--daemon")) {
            host.awaitStderr(l -> l.contains("bundles active in"), EVENT);
            host.terminate();
            assertEquals(128 + 15, host.awaitExit(RUN), "killed by SIGTERM after a clean stop");
            assertTrue(host.stderr().contains("aioloop: stopping (signal)"), host.stderr().toString());
            assertTrue(host.stderr().contains("aioloop: stopped"), host.stderr().toString());
        }
    }

    @Test
    void theDefaultDevicesServeAnEchoPortAndTheMonitorSocket() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path echoCfg = home.resolve("etc/org.aioloop.chardev-echo.cfg");
        Files.writeString(echoCfg, Files.readString(echoCfg).replace("port = 4555", "port = " + port));
        try (HostProcess host = HostProcess.start(home, "--daemon")) {
            host.awaitStderr(l -> l.contains("device 'chardev-echo' attached"), EVENT);
            host.awaitStderr(l -> l.contains("device 'monitor' attached"), EVENT);
            host.awaitStderr(l -> l.contains("device 'signals' attached"), EVENT);

            try (java.net.Socket echo = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
                echo.setSoTimeout((int) EVENT.toMillis());
                echo.getOutputStream().write("hello aioloop\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                byte[] back = echo.getInputStream().readNBytes(14);
                assertEquals("hello aioloop\n", new String(back, java.nio.charset.StandardCharsets.US_ASCII));
            }

            Path sock = home.resolve("run/monitor.sock");
            assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(home.resolve("run"))), "run/ is owner-only");
            try (java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(sock));
                    java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(
                            java.nio.channels.Channels.newInputStream(ch), java.nio.charset.StandardCharsets.UTF_8));
                    java.io.OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
                assertTrue(in.readLine().startsWith("{\"QMP\""), "greeting");
                out.write("{\"execute\":\"qmp_capabilities\"}\n{\"execute\":\"query-devices\"}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                assertEquals("{\"return\":{}}", in.readLine());
                String devices = in.readLine();
                assertTrue(devices.contains("\"chardev-echo\"") && devices.contains("\"monitor\""), devices);
            }
            host.terminate();
            assertEquals(ExitStatus.OK, host.awaitExit(RUN));
        }
        assertFalse(Files.exists(home.resolve("run/monitor.sock")), "the monitor removes its socket on stop");
    }

    @Test
    void theConsoleStopsWithStopZero() throws Exception {
        try (HostProcess host = HostProcess.start(home, "--interactive")) {
            host.awaitStderr(l -> l.contains("Gogo shell"), EVENT);
            host.send("stop 0");
            assertEquals(ExitStatus.OK, host.awaitExit(RUN), () -> "stderr: " + host.stderr());
            assertTrue(host.stderr().contains("aioloop: stopped"), host.stderr().toString());
        }
    }

    @Test
    void aBundleDroppedIntoDeployStartsAndDeletingItUninstallsIt() throws Exception {
        Path jar = tmp.resolve("itest.deployed.jar");
        writeBundle(jar, "itest.deployed");
        try (HostProcess host = HostProcess.start(home, "--daemon")) {
            host.awaitStderr(l -> l.contains("bundles active in"), EVENT);
            Path dropped = home.resolve("deploy/itest.deployed.jar");
            // Moved in whole, as an operator's cp-then-mv would: FileInstall never sees half a jar.
            Files.move(Files.copy(jar, home.resolve("deploy/.incoming")), dropped, StandardCopyOption.ATOMIC_MOVE);
            host.awaitStderr(l -> l.contains("deploy: started itest.deployed 1.0.0"), EVENT);
            Files.delete(dropped);
            host.awaitStderr(l -> l.contains("deploy: uninstalled itest.deployed 1.0.0"), EVENT);
            host.terminate();
            host.awaitExit(RUN);
        }
    }

    @Test
    void aNewcomerListsBackendsSwitchesTheLoopAndHotDeploysTheSampleDevice() throws Exception {
        Path sample;
        try (Stream<Path> files = Files.list(home.resolve("samples"))) {
            sample = files.filter(p -> p.getFileName().toString().startsWith("plugin-template")).findFirst()
                    .orElseThrow(() -> new AssertionError("no samples/plugin-template*.jar"));
        }
        try (HostProcess host = HostProcess.start(home, "--script")) {
            host.send("aio:backends");
            host.awaitStdout(l -> l.matches("epoll\\s+100\\s+yes\\s+.*main.*"), EVENT);
            host.send("aio:switch poll");
            host.send("aio:contexts");
            host.awaitStdout(l -> l.matches("main\\s+aioloop-main\\s+poll\\s.*"), EVENT);

            Files.move(Files.copy(sample, home.resolve("deploy/.incoming")),
                    home.resolve("deploy/" + sample.getFileName()), StandardCopyOption.ATOMIC_MOVE);
            host.awaitStderr(l -> l.contains("deploy: started org.aioloop.plugin.template"), EVENT);
            // The core attaches the device on the main loop thread, just after the bundle started.
            long deadline = System.nanoTime() + EVENT.toNanos();
            boolean attached = false;
            for (int round = 0; !attached && System.nanoTime() < deadline; round++) {
                String end = "--end " + round + "--";
                host.send("aio:devices");
                host.send("echo '" + end + "'");
                host.awaitStdout(end::equals, EVENT);
                attached = host.stdout().stream().anyMatch(l -> l.matches("template\\s+main\\s+ATTACHED.*"));
                if (!attached) {
                    Thread.sleep(100); // pacing the bounded retry, not synchronisation
                }
            }
            host.closeStdin();
            assertEquals(ExitStatus.OK, host.awaitExit(RUN), () -> "stderr: " + host.stderr());
            assertTrue(attached, "the dropped sample device attached: " + host.stdout());
        }
    }

    @Test
    void configFilesInEtcReachConfigAdmin() throws Exception {
        Files.writeString(home.resolve("etc/org.aioloop.core.cfg"), "backend = poll\nitest.marker = 42\n");
        try (HostProcess host = HostProcess.start(home, "--script")) {
            host.send("ref = $.context getServiceReference org.osgi.service.cm.ConfigurationAdmin");
            host.send("cm = $.context getService $ref");
            // FileInstall feeds the file asynchronously: ask until it is there (bounded).
            long deadline = System.nanoTime() + EVENT.toNanos();
            int round = 0;
            boolean found = false;
            while (!found && System.nanoTime() < deadline) {
                String end = "--end " + round++ + "--";
                host.send("each ($cm listConfigurations \"(itest.marker=42)\") { echo PID $($it getPid) }");
                host.send("echo '" + end + "'");
                host.awaitStdout(end::equals, EVENT);
                found = host.stdout().contains("PID org.aioloop.core");
                if (!found) {
                    Thread.sleep(100); // pacing the bounded retry, not synchronisation
                }
            }
            host.closeStdin();
            host.awaitExit(RUN);
            assertTrue(found, "etc/org.aioloop.core.cfg became configuration org.aioloop.core: " + host.stdout()
                    + host.stderr());
        }
    }

    @Test
    void aMissingBundlesDirectoryIsALoudStartupError() throws Exception {
        try (HostProcess host = HostProcess.start(home, "--bundles", tmp.resolve("nowhere").toString(), "-c", "lb")) {
            assertEquals(ExitStatus.STARTUP_FAILED, host.awaitExit(RUN));
            assertTrue(host.stderr().stream().anyMatch(l -> l.contains("no bundles directory at")
                    && l.contains("nowhere")), host.stderr().toString());
            assertTrue(host.stdout().isEmpty());
        }
    }

    @Test
    void aBrokenBundleIsNamedTheRestStartsAndTheExitStatusSaysSo() throws Exception {
        Files.writeString(home.resolve("bundles/zz-broken.jar"), "this is not a zip");
        try (HostProcess host = HostProcess.start(home, "-c", "echo alive")) {
            assertEquals(ExitStatus.STARTUP_FAILED, host.awaitExit(RUN));
            assertEquals(List.of("alive"), host.stdout(), "the host still ran the commands");
            String err = String.join("\n", host.stderr());
            assertTrue(err.contains("bundle zz-broken.jar failed to install"), err);
            assertTrue(err.contains("1 failed (see above)"), err);
        }
    }

    @Test
    void aSecondHostOnTheSameCacheIsRefused() throws Exception {
        try (HostProcess first = HostProcess.start(home, "--daemon")) {
            first.awaitStderr(l -> l.contains("device 'signals' attached"), EVENT);
            try (HostProcess second = HostProcess.start(home, "-c", "echo second")) {
                assertEquals(ExitStatus.STARTUP_FAILED, second.awaitExit(RUN));
                assertTrue(second.stderr().stream().anyMatch(l -> l.contains("another aioloop host (pid "
                        + first.pid() + ") is running with the cache")), second.stderr().toString());
                assertTrue(second.stdout().isEmpty());
            }
            first.terminate();
            assertEquals(ExitStatus.OK, first.awaitExit(RUN));
            assertTrue(first.stderr().contains("aioloop: stopped"), "the first host was not disturbed: "
                    + first.stderr());
        }
    }

    @Test
    void anUnknownOptionIsAUsageError() throws Exception {
        try (HostProcess host = HostProcess.start(home, "--frobnicate")) {
            assertEquals(ExitStatus.USAGE, host.awaitExit(RUN));
            assertTrue(host.stderr().get(0).contains("unknown argument '--frobnicate'"), host.stderr().toString());
            assertFalse(host.stderr().stream().anyMatch(l -> l.contains("bundles active")), "nothing was started");
        }
    }

    private static long count(List<String> lines, String text) {
        return lines.stream().filter(l -> l.contains(text)).count();
    }

    private int jarCount() throws IOException {
        try (Stream<Path> files = Files.list(home.resolve("bundles"))) {
            return files.filter(p -> p.toString().endsWith(".jar")).collect(Collectors.toList()).size();
        }
    }

    private static void writeBundle(Path jar, String symbolicName) throws IOException {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", symbolicName);
        a.putValue("Bundle-Version", "1.0.0");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, m)) {
            j.flush();
        }
    }
}
