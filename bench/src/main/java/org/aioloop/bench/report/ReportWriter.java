package org.aioloop.bench.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.Histogram;

/**
 * Prints a run's table and writes {@code latest.md} (machine, command, scenarios, table, notes,
 * failures) and {@code latest.png} (latency percentiles per peer, S3's p50 per K) to a directory.
 */
public final class ReportWriter {
    private static final String S3_P50 = "p50 round trip, ";

    private ReportWriter() {
    }

    /**
     * @param r          the figures
     * @param reference  the peer in the ratio's numerator
     * @param scenarios  "id title" of each scenario that ran, for the report
     * @param command    the runner's arguments
     * @param dir        the output directory (created if missing)
     * @param out        where the table is printed
     * @throws IOException if a file cannot be written
     */
    public static void write(Results r, String reference, List<String> scenarios, String command, Path dir,
            PrintStream out) throws IOException {
        String table = ResultTable.render(r, reference);
        out.println();
        out.print(table);
        Files.createDirectories(dir);
        Path png = dir.resolve("latest.png");
        LatencyChart chart = chart(r);
        if (!chart.isEmpty()) {
            chart.write(png);
        }
        StringBuilder md = new StringBuilder();
        md.append("# aioloop side by side: latest run\n\n");
        md.append("- date: ").append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)).append('\n');
        md.append("- machine: ").append(MachineInfo.describe()).append('\n');
        md.append("- command: `bench/run.sh ").append(command).append("`\n");
        md.append("- n = repeats per scenario and peer; the last column is the median of ").append(reference)
                .append(" divided by the peer's median (↑ more is better, so > 1 means ").append(reference)
                .append(" is ahead; ↓ less is better, so < 1 means ").append(reference).append(" is ahead)\n\n");
        for (String s : scenarios) {
            md.append("- ").append(s).append('\n');
        }
        md.append('\n').append(table).append('\n');
        list(md, "Notes", r.notes());
        list(md, "Failed runs", r.failures());
        if (!chart.isEmpty()) {
            md.append("![latency percentiles per peer](latest.png)\n");
        }
        Files.writeString(dir.resolve("latest.md"), md.toString(), StandardCharsets.UTF_8);
        out.println("\nwrote " + dir.resolve("latest.md") + (chart.isEmpty() ? "" : " and " + png));
    }

    private static void list(StringBuilder md, String title, List<String> lines) {
        if (!lines.isEmpty()) {
            md.append(title).append(":\n\n");
            lines.forEach(n -> md.append("- ").append(n).append('\n'));
            md.append('\n');
        }
    }

    private static LatencyChart chart(Results r) {
        LatencyChart chart = new LatencyChart(r.peers());
        for (Map.Entry<String, Map<String, Histogram>> e : r.histograms().entrySet()) {
            if (!e.getKey().startsWith("S3")) { // S3 gets one panel of p50 per K instead
                chart.addLatencyPanel(e.getKey() + ": latency percentiles", e.getValue());
            }
        }
        List<MetricKey> s3 = r.values().keySet().stream()
                .filter(k -> k.scenario().equals("S3") && k.metric().startsWith(S3_P50 + "K="))
                .toList();
        if (!s3.isEmpty()) {
            String[] cats = s3.stream().map(k -> k.metric().substring(S3_P50.length())).toArray(String[]::new);
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
}
