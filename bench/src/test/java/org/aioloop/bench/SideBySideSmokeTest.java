package org.aioloop.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.aioloop.bench.peer.Peer;
import org.aioloop.bench.peer.Peers;
import org.aioloop.bench.report.MetricKey;
import org.aioloop.bench.report.ReportWriter;
import org.aioloop.bench.report.Results;
import org.aioloop.bench.scenario.Scenario;
import org.aioloop.bench.scenario.Scenarios;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner's smoke mode: every scenario on every peer with tiny counts, so the tool cannot rot.
 * Asserts only that everything ran and produced figures, a table and a PNG; never a timing.
 */
class SideBySideSmokeTest {
    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    @Test
    void everyScenarioRunsOnEveryPeerAndTheReportIsWritten(@TempDir Path out) throws Exception {
        BenchConfig cfg = BenchConfig.smoke(out);
        List<Scenario> scenarios = Scenarios.all();
        List<Peer> peers = Peers.all();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Results r = SideBySide.run(cfg, scenarios, peers, new PrintStream(log, true, StandardCharsets.UTF_8));

        assertTrue(r.failures().isEmpty(), () -> "failed runs: " + r.failures() + "\n" + log);
        for (Scenario s : scenarios) {
            for (Peer p : peers) {
                boolean expected = s.appliesTo(p) && p.takesPart(s.id());
                boolean has = r.values().entrySet().stream()
                        .anyMatch(e -> e.getKey().scenario().equals(s.id()) && e.getValue().containsKey(p.name()));
                assertEquals(expected, has, s.id() + " on " + p.name());
            }
        }
        for (Map.Entry<MetricKey, Map<String, List<Double>>> e : r.values().entrySet()) {
            for (List<Double> v : e.getValue().values()) {
                assertEquals(cfg.repeats(), v.size(), e.getKey().toString());
                v.forEach(x -> assertTrue(Double.isFinite(x) && x >= 0, e.getKey() + " = " + x));
            }
        }
        assertEquals(0.0, lostMessages(r), "echo messages lost");

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        ReportWriter.write(r, SideBySide.REFERENCE, SideBySide.describe(scenarios), "--smoke", out,
                new PrintStream(printed, true, StandardCharsets.UTF_8));
        String md = Files.readString(out.resolve("latest.md"));
        for (Peer p : peers) {
            assertTrue(md.contains("| " + p.name() + " |"), p.name() + " missing from the table");
        }
        assertTrue(printed.toString(StandardCharsets.UTF_8).contains("| scenario | metric | peer |"));
        BufferedImage png = ImageIO.read(out.resolve("latest.png").toFile());
        assertNotNull(png, "latest.png is not a readable PNG");
        assertTrue(png.getWidth() > 0 && png.getHeight() > 0);
    }

    @Test
    void unknownOptionsScenariosAndPeersAreRejectedByName() {
        assertMessage(() -> RunOptions.parse(new String[] {"--fast"}), "--fast");
        assertMessage(() -> RunOptions.parse(new String[] {"--scenarios", "S9"}), "S9");
        assertMessage(() -> RunOptions.parse(new String[] {"--peers", "nope"}), "nope");
        assertMessage(() -> RunOptions.parse(new String[] {"--repeats", "0"}), "--repeats");
        assertMessage(() -> RunOptions.parse(new String[] {"--out"}), "--out");
    }

    @Test
    void optionsSelectSubsetsInTheOrderGiven() {
        RunOptions o = RunOptions.parse(
                new String[] {"--smoke", "--scenarios", "s4,S1", "--peers", "jdk-selector,netty-epoll", "--repeats", "2"});
        assertEquals(List.of("S4", "S1"), o.scenarios().stream().map(Scenario::id).toList());
        assertEquals(List.of("jdk-selector", "netty-epoll"), o.peers().stream().map(Peer::name).toList());
        assertEquals(2, o.config().repeats());
        assertFalse(o.list());
    }

    private static double lostMessages(Results r) {
        return r.values().entrySet().stream()
                .filter(e -> e.getKey().metric().equals("messages lost")
                        || e.getKey().metric().equals("registrations lost"))
                .flatMap(e -> e.getValue().values().stream()).flatMap(List::stream)
                .mapToDouble(Double::doubleValue).sum();
    }

    private static void assertMessage(Runnable r, String fragment) {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                r::run);
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
