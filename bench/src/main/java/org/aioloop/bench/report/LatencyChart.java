package org.aioloop.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.imageio.ImageIO;

import org.HdrHistogram.Histogram;

/**
 * Draws the run's chart as a PNG with Java2D (headless, no extra dependency): one panel per latency
 * series (percentile curves per peer, logarithmic µs axis) and one per category series (a figure
 * per category, e.g. S3's p50 per K).
 */
public final class LatencyChart {
    /** The percentiles on the x axis of a latency panel; 100 is the maximum. */
    static final double[] PERCENTILES = {50, 90, 99, 99.9, 99.99, 100};
    private static final Color[] PALETTE = {
        new Color(0xD62728), new Color(0xFF7F0E), new Color(0x8C564B), new Color(0xE377C2),
        new Color(0x1F77B4), new Color(0x2CA02C), new Color(0x7F7F7F), new Color(0x9467BD),
    };
    private static final int WIDTH = 1100;
    private static final int PANEL_HEIGHT = 380;

    private final List<Panel> panels = new ArrayList<>();
    private final Map<String, Color> colours = new LinkedHashMap<>();

    /**
     * @param peers the peers in legend order; fixes their colours across panels
     */
    public LatencyChart(Iterable<String> peers) {
        for (String p : peers) {
            colours.putIfAbsent(p, PALETTE[colours.size() % PALETTE.length]);
        }
    }

    /**
     * Adds a panel of percentile curves.
     *
     * @param title  the panel title
     * @param byPeer peer → latency histogram in nanoseconds
     */
    public void addLatencyPanel(String title, Map<String, Histogram> byPeer) {
        String[] cats = new String[PERCENTILES.length];
        Map<String, double[]> series = new LinkedHashMap<>();
        for (int i = 0; i < PERCENTILES.length; i++) {
            cats[i] = PERCENTILES[i] == 100 ? "max" : "p" + trim(PERCENTILES[i]);
        }
        for (Map.Entry<String, Histogram> e : byPeer.entrySet()) {
            double[] v = new double[PERCENTILES.length];
            for (int i = 0; i < PERCENTILES.length; i++) {
                long ns = PERCENTILES[i] == 100 ? e.getValue().getMaxValue()
                        : e.getValue().getValueAtPercentile(PERCENTILES[i]);
                v[i] = ns / 1000.0;
            }
            series.put(e.getKey(), v);
        }
        addCategoryPanel(title, "µs (log)", cats, series);
    }

    /**
     * Adds a panel of one figure per category and peer.
     *
     * @param title      the panel title
     * @param unit       the y axis unit (logarithmic)
     * @param categories the x axis labels
     * @param byPeer     peer → one value per category (NaN where missing)
     */
    public void addCategoryPanel(String title, String unit, String[] categories, Map<String, double[]> byPeer) {
        for (String p : byPeer.keySet()) {
            colours.putIfAbsent(p, PALETTE[colours.size() % PALETTE.length]);
        }
        panels.add(new Panel(title, unit, categories, byPeer));
    }

    /**
     * @return whether any panel was added
     */
    public boolean isEmpty() {
        return panels.isEmpty();
    }

    /**
     * Writes the PNG.
     *
     * @param file the target file
     * @throws IOException if it cannot be written
     */
    public void write(Path file) throws IOException {
        int height = Math.max(1, panels.size()) * PANEL_HEIGHT;
        BufferedImage img = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, height);
            for (int i = 0; i < panels.size(); i++) {
                draw(g, panels.get(i), i * PANEL_HEIGHT);
            }
        } finally {
            g.dispose();
        }
        if (!ImageIO.write(img, "png", file.toFile())) {
            throw new IOException("no PNG writer");
        }
    }

    private void draw(Graphics2D g, Panel p, int top) {
        int left = 90;
        int right = WIDTH - 230;
        int plotTop = top + 40;
        int plotBottom = top + PANEL_HEIGHT - 50;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(p.title, left, top + 24);

        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (double[] vs : p.byPeer.values()) {
            for (double v : vs) {
                if (v > 0 && !Double.isNaN(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (lo == Double.MAX_VALUE) {
            g.drawString("(no data)", left, plotTop + 40);
            return;
        }
        double logLo = Math.floor(Math.log10(lo));
        double logHi = Math.ceil(Math.log10(hi));
        if (logHi <= logLo) {
            logHi = logLo + 1;
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (double d = logLo; d <= logHi; d++) {
            int y = yOf(Math.pow(10, d), logLo, logHi, plotTop, plotBottom);
            g.setColor(new Color(0xDDDDDD));
            g.drawLine(left, y, right, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(label(Math.pow(10, d)), 10, y + 4);
        }
        g.drawString(p.unit, 10, plotTop - 8);
        int n = p.categories.length;
        for (int i = 0; i < n; i++) {
            int x = xOf(i, n, left, right);
            g.setColor(Color.DARK_GRAY);
            g.drawString(p.categories[i], x - 15, plotBottom + 20);
        }
        g.setColor(Color.BLACK);
        g.drawRect(left, plotTop, right - left, plotBottom - plotTop);

        int legendY = plotTop + 10;
        g.setStroke(new BasicStroke(2.2f));
        for (Map.Entry<String, double[]> e : p.byPeer.entrySet()) {
            g.setColor(colours.get(e.getKey()));
            double[] v = e.getValue();
            int px = -1;
            int py = -1;
            for (int i = 0; i < v.length; i++) {
                if (Double.isNaN(v[i]) || v[i] <= 0) {
                    px = -1;
                    continue;
                }
                int x = xOf(i, n, left, right);
                int y = yOf(v[i], logLo, logHi, plotTop, plotBottom);
                g.fillOval(x - 4, y - 4, 8, 8);
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
            g.fillRect(right + 20, legendY - 8, 14, 10);
            g.setColor(Color.BLACK);
            g.drawString(e.getKey(), right + 40, legendY + 2);
            legendY += 20;
        }
        g.setStroke(new BasicStroke(1f));
    }

    private static int xOf(int i, int n, int left, int right) {
        return n == 1 ? (left + right) / 2 : left + 30 + i * (right - left - 60) / (n - 1);
    }

    private static int yOf(double v, double logLo, double logHi, int top, int bottom) {
        double f = (Math.log10(v) - logLo) / (logHi - logLo);
        return (int) Math.round(bottom - f * (bottom - top));
    }

    private static String label(double v) {
        return v >= 1 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.3g", v);
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private record Panel(String title, String unit, String[] categories, Map<String, double[]> byPeer) {
    }
}
