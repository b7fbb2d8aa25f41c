package org.aioloop.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

import org.aioloop.bench.peer.Peer;
import org.aioloop.bench.peer.Peers;
import org.aioloop.bench.report.ReportWriter;
import org.aioloop.bench.report.Results;
import org.aioloop.bench.scenario.Scenario;
import org.aioloop.bench.scenario.Scenarios;

/**
 * The side-by-side runner: every selected scenario on every peer in one run, one after another
 * (peers interleaved within each repeat, so drift of the machine hits all alike), then one table
 * with the median, min–max and the ratio of {@value #REFERENCE} to each peer, written with a PNG
 * chart as {@code latest.md} and {@code latest.png}. Options: see {@link RunOptions}. Exits 1 if a
 * run failed.
 */
public final class SideBySide {
    /** The peer whose median is the numerator of the ratio column. */
    public static final String REFERENCE = "aioloop-epoll";

    private SideBySide() {
    }

    /**
     * @param args see {@link RunOptions}
     * @throws Exception on bad arguments or if the report cannot be written
     */
    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        RunOptions o = RunOptions.parse(args);
        if (o.list()) {
            Scenarios.all().forEach(s -> System.out.println(s.id() + "  " + s.title()));
            Peers.all().forEach(p -> System.out.println(p.name()));
            return;
        }
        Results r = run(o.config(), o.scenarios(), o.peers(), System.out);
        ReportWriter.write(r, REFERENCE, describe(o.scenarios()), String.join(" ", args), o.config().out(),
                System.out);
        System.exit(r.failures().isEmpty() ? 0 : 1);
    }

    /**
     * @param scenarios scenarios
     * @return "**id** title" of each, for the report
     */
    public static List<String> describe(List<Scenario> scenarios) {
        return scenarios.stream().map(s -> "**" + s.id() + "** " + s.title()).toList();
    }

    /**
     * Runs the scenarios on the peers; a failed run is recorded and the next one starts.
     *
     * @param cfg       counts and repeats
     * @param scenarios what to run
     * @param peers     on which peers
     * @param log       one progress line per run
     * @return the figures
     */
    public static Results run(BenchConfig cfg, List<Scenario> scenarios, List<Peer> peers, PrintStream log) {
        Results results = new Results();
        for (Scenario s : scenarios) {
            for (int rep = 1; rep <= cfg.repeats(); rep++) {
                for (Peer p : peers) {
                    if (!s.appliesTo(p) || !p.takesPart(s.id())) {
                        continue;
                    }
                    System.gc(); // start each run without the previous one's garbage
                    long t0 = System.nanoTime();
                    log.printf(Locale.ROOT, "%s [%d/%d] %-17s ", s.id(), rep, cfg.repeats(), p.name());
                    log.flush();
                    try {
                        s.run(p, cfg, results.sink(p.name(), s.id()));
                        log.printf(Locale.ROOT, "%.1f s%n", (System.nanoTime() - t0) / 1e9);
                    } catch (Exception | Error e) {
                        log.println("FAILED: " + e);
                        results.failed(p.name(), s.id(), e);
                    }
                }
            }
        }
        return results;
    }
}
