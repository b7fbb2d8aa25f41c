package org.aioloop.core.shell;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain-text table for shell output: a header row, a dashed rule, then the rows, every column as
 * wide as its widest cell and separated by two spaces. Columns marked numeric are right-aligned.
 * Trailing spaces are trimmed so output diffs cleanly.
 *
 * <pre>
 * NAME       THREAD        BACKEND  ITERATIONS
 * ---------  ------------  -------  ----------
 * main       aioloop-main  epoll          1234
 * </pre>
 */
public final class TextTable {
    private final String[] headers;
    private final boolean[] numeric;
    private final List<String[]> rows = new ArrayList<>();

    /**
     * @param headers the column titles; a title starting with {@code '>'} marks a right-aligned
     *                (numeric) column, the {@code '>'} is not printed
     */
    public TextTable(String... headers) {
        this.headers = new String[headers.length];
        this.numeric = new boolean[headers.length];
        for (int i = 0; i < headers.length; i++) {
            boolean right = headers[i].startsWith(">");
            numeric[i] = right;
            this.headers[i] = right ? headers[i].substring(1) : headers[i];
        }
    }

    /**
     * Adds a row; missing cells are blank, null cells print as {@code -}.
     *
     * @param cells the cells, converted with {@link String#valueOf(Object)}
     * @return this
     * @throws IllegalArgumentException if there are more cells than columns
     */
    public TextTable row(Object... cells) {
        if (cells.length > headers.length) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, table has "
                    + headers.length + " columns");
        }
        String[] r = new String[headers.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = i < cells.length ? (cells[i] == null ? "-" : String.valueOf(cells[i])) : "";
        }
        rows.add(r);
        return this;
    }

    /**
     * @return the number of rows added
     */
    public int size() {
        return rows.size();
    }

    @Override
    public String toString() {
        int[] width = new int[headers.length];
        for (int i = 0; i < headers.length; i++) {
            width[i] = headers[i].length();
        }
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, headers, width);
        String[] rule = new String[headers.length];
        for (int i = 0; i < rule.length; i++) {
            rule[i] = "-".repeat(width[i]);
        }
        line(sb, rule, width);
        for (String[] r : rows) {
            line(sb, r, width);
        }
        return sb.toString();
    }

    private void line(StringBuilder sb, String[] cells, int[] width) {
        int start = sb.length();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                sb.append("  ");
            }
            String c = cells[i];
            int pad = width[i] - c.length();
            if (numeric[i]) {
                sb.append(" ".repeat(pad)).append(c);
            } else {
                sb.append(c).append(" ".repeat(pad));
            }
        }
        int end = sb.length();
        while (end > start && sb.charAt(end - 1) == ' ') {
            end--;
        }
        sb.setLength(end);
        sb.append('\n');
    }

    /**
     * Renders a duration for people: {@code 850 ns}, {@code 12.5 us}, {@code 3.2 ms}, {@code 1.50 s}.
     *
     * @param nanos a duration in nanoseconds, or negative for none
     * @return the text
     */
    public static String duration(long nanos) {
        if (nanos < 0) {
            return "-";
        }
        if (nanos < 1_000) {
            return nanos + " ns";
        }
        if (nanos < 1_000_000) {
            return String.format(java.util.Locale.ROOT, "%.1f us", nanos / 1e3);
        }
        if (nanos < 1_000_000_000) {
            return String.format(java.util.Locale.ROOT, "%.1f ms", nanos / 1e6);
        }
        return String.format(java.util.Locale.ROOT, "%.2f s", nanos / 1e9);
    }
}
