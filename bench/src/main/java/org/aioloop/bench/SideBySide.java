package org.aioloop.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.aioloop.bench.peer.Peer;
import org.aioloop.bench.peer.Peers;
import org.aioloop.bench.report.LatencyChart;
import org.aioloop.bench.report.MachineInfo;
import org.aioloop.bench.report.MetricKey;
import org.aioloop.bench.report.ResultTable;
import org.aioloop.bench.report.Results;
import org.aioloop.bench.report.Stats;
import org.aioloop.bench.scenario.Scenario;
import org.aioloop.bench.scenario.Scenarios;

/**
 * The side-by-side runner: every selected scenario on every peer in one run, one after another
 * (peers interleaved within each repeat so drift hits all alike), then one table with the median,
 * min–max and the ratio of aioloop-epoll to each peer, written with a PNG chart to the output
 * directory as {@code latest.md} and {@code latest.png}.
 *
 * <pre>
 * --smoke              tiny counts (what the test suite runs)
 * --scenarios S1,S3    a subset of S1..S6
 * --peers a,b          a subset of the peers (see --list)
 * --repeats N          runs per scenario and peer (default 3)
 * --echo-seconds X     S5/S6 measuring time (default 10)
 * --out DIR            output directory (default bench/results)
 * --list               print scenarios and peers and exit
 * </pre>
 */
public final class SideBySide {
    /** The peer whose median is the numerator of the ratio column. */
    public static final String REFERENCE = "aioloop-epoll";

    private SideBySide() {
    }

    /**
     * @param args see the class comment
     * @throws Exception on bad arguments or if the report cannot be written
     */
    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        Options o = Options.parse(args);
        if (o.list) {
            Scenarios.all().forEach(s -> System.out.println(s.id() + "  " + s.title()));
            Peers.all().forEach(p -> System.out.println(p.name()));
            return;
        }
        Results r = run(o.config, o.scenarios, o.peers, System.out);
        write(r, o.config, o.scenarios, String.join(" ", args), System.out);
        System.exit(r.failures().isEmpty() ? 0 : 1);
    }

    /**
     * Runs the scenarios on the peers.
     *
     * @param cfg       counts and repeats
     * @param scenarios what to run
     * @param peers     on which peers
     * @param log       progress lines
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
                    System.gc();
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

    /**
     * Prints the table and writes {@code latest.md} and {@code latest.png} into the output directory.
     *
     * @param r         the figures
     * @param cfg       the configuration used
     * @param scenarios the scenarios that ran (for their descriptions)
     * @param command   the arguments, for the report
     * @param out       where the table is printed
     * @throws IOException if the files cannot be written
     */
    public static void write(Results r, BenchConfig cfg, List<Scenario> scenarios, String command, PrintStream out)
            throws IOException {
        String table = ResultTable.render(r, REFERENCE);
        out.println();
        out.print(table);
        Files.createDirectories(cfg.out());
        Path png = cfg.out().resolve("latest.png");
        LatencyChart chart = chart(r);
        if (!chart.isEmpty()) {
            chart.write(png);
        }
        StringBuilder md = new StringBuilder();
        md.append("# aioloop side by side: latest run\n\n");
        md.append("- date: ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)).append('\n');
        md.append("- machine: ").append(MachineInfo.describe()).append('\n');
        md.append("- command: `bench/run.sh ").append(command).append("`\n");
        md.append("- repeats per scenario and peer: ").append(cfg.repeats())
                .append("; the ratio column is the median of ").append(REFERENCE)
                .append(" divided by the peer's median (↑ more is better, ↓ less is better)\n\n");
        for (Scenario s : scenarios) {
            md.append("- **").append(s.id()).append("** ").append(s.title()).append('\n');
        }
        md.append('\n').append(table).append('\n');
        if (!r.notes().isEmpty()) {
            md.append("Notes:\n\n");
            r.notes().forEach(n -> md.append("- ").append(n).append('\n'));
            md.append('\n');
        }
        if (!r.failures().isEmpty()) {
            md.append("Failed runs:\n\n");
            r.failures().forEach(f -> md.append("- ").append(f).append('\n'));
            md.append('\n');
        }
        if (!chart.isEmpty()) {
            md.append("![latency percentiles per peer](latest.png)\n");
        }
        Files.writeString(cfg.out().resolve("latest.md"), md.toString(), StandardCharsets.UTF_8);
        out.println("\nwrote " + cfg.out().resolve("latest.md") + (chart.isEmpty() ? "" : " and " + png));
    }

    private static LatencyChart chart(Results r) {
        LatencyChart chart = new LatencyChart(r.peers());
        for (Map.Entry<String, Map<String, org.HdrHistogram.Histogram>> e : r.histograms().entrySet()) {
            if (!e.getKey().startsWith("S3")) {
                chart.addLatencyPanel(e.getKey() + ": latency percentiles", e.getValue());
            }
        }
        List<MetricKey> s3 = r.values().keySet().stream()
                .filter(k -> k.scenario().equals("S3") && k.metric().startsWith("p50 round trip, K="))
                .collect(Collectors.toList());
        if (!s3.isEmpty()) {
            String[] cats = s3.stream().map(k -> k.metric().substring("p50 round trip, ".length()))
                    .toArray(String[]::new);
            Map<String, double[]> byPeer = new LinkedHashMap<>();
            for (int i = 0; i < s3.size(); i++) {
                for (Map.Entry<String, List<Double>> pv : r.values().get(s3.get(i)).entrySet()) {
                    double[] v = byPeer.computeIfAbsent(pv.getKey(), k -> {
                        double[] nan = new double[cats.length];
                        Arrays.fill(nan, Double.NaN);
                        return nan;
                    });
                    v[i] = Stats.of(pv.getValue()).median();
                }
            }
            chart.addCategoryPanel("S3: p50 round trip vs idle fds K (median of repeats)", "µs (log)", cats, byPeer);
        }
        return chart;
    }

    /** Parsed command line. */
    static final class Options {
        BenchConfig config = BenchConfig.full(Path.of("bench", "results"));
        List<Scenario> scenarios = Scenarios.all();
        List<Peer> peers = Peers.all();
        boolean list;

        static Options parse(String[] args) {
            Options o = new Options();
            boolean smoke = false;
            Integer repeats = null;
            Double echoSeconds = null;
            Path out = null;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--smoke" -> smoke = true;
                    case "--list" -> o.list = true;
                    case "--scenarios" -> o.scenarios = Scenarios.select(value(args, ++i, a));
                    case "--peers" -> o.peers = Peers.select(value(args, ++i, a));
                    case "--repeats" -> repeats = Integer.parseInt(value(args, ++i, a));
                    case "--echo-seconds" -> echoSeconds = Double.parseDouble(value(args, ++i, a));
                    case "--out" -> out = Path.of(value(args, ++i, a));
                    default -> throw new IllegalArgumentException("unknown option " + a
                            + " (known: --smoke --scenarios --peers --repeats --echo-seconds --out --list)");
                }
            }
            Path dir = out != null ? out : Path.of("bench", "results");
            o.config = smoke ? BenchConfig.smoke(dir) : BenchConfig.full(dir);
            if (repeats != null) {
                o.config = o.config.withRepeats(repeats);
            }
            if (echoSeconds != null) {
                o.config = o.config.withEchoSeconds(echoSeconds);
            }
            return o;
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }
    }

    static List<String> names(List<Peer> peers) {
        List<String> n = new ArrayList<>();
        peers.forEach(p -> n.add(p.name()));
        return n;
    }
}
