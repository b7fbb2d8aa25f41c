package org.aioloop.bench.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders {@link Results} as one Markdown table: per metric and peer the median and min–max of the
 * repeats, and the ratio of the reference aioloop configuration to that peer.
 */
public final class ResultTable {
    private ResultTable() {
    }

    /**
     * @param results   what was measured
     * @param reference the peer in the ratio's numerator (e.g. {@code "aioloop-epoll"})
     * @return the table, one line per metric and peer
     */
    public static String render(Results results, String reference) {
        StringBuilder sb = new StringBuilder();
        sb.append("| scenario | metric | peer | median | min–max | n | ").append(reference).append(" ÷ peer |\n");
        sb.append("|---|---|---|---:|---:|---:|---:|\n");
        for (Map.Entry<MetricKey, Map<String, List<Double>>> e : results.values().entrySet()) {
            MetricKey key = e.getKey();
            List<Double> ref = e.getValue().get(reference);
            Double refMedian = ref == null ? null : Stats.of(ref).median();
            for (Map.Entry<String, List<Double>> p : e.getValue().entrySet()) {
                Stats s = Stats.of(p.getValue());
                sb.append("| ").append(key.scenario())
                        .append(" | ").append(key.metric()).append(" (").append(key.unit()).append(')')
                        .append(arrow(key.better()))
                        .append(" | ").append(p.getKey())
                        .append(" | ").append(format(s.median()))
                        .append(" | ").append(format(s.min())).append("–").append(format(s.max()))
                        .append(" | ").append(s.count())
                        .append(" | ").append(ratio(refMedian, s.median(), key.better()))
                        .append(" |\n");
            }
        }
        return sb.toString();
    }

    private static String arrow(Better b) {
        return switch (b) {
            case HIGHER -> " ↑";
            case LOWER -> " ↓";
            case NONE -> "";
        };
    }

    private static String ratio(Double ref, double value, Better better) {
        if (ref == null || better == Better.NONE || value == 0) {
            return "";
        }
        return String.format(Locale.ROOT, "%.2f", ref / value);
    }

    /**
     * Formats a figure with three significant digits (integers above 1000 stay whole).
     *
     * @param v the figure
     * @return its text
     */
    public static String format(double v) {
        double a = Math.abs(v);
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 1 || a == 0) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
