package org.aioloop.bench.report;

import org.HdrHistogram.Histogram;

/**
 * Where one run of a scenario on one peer reports what it measured.
 */
public interface ResultSink {
    /**
     * Reports one figure of this run.
     *
     * @param metric what it is
     * @param unit   its unit
     * @param better which direction is good
     * @param value  the figure
     */
    void value(String metric, String unit, Better better, double value);

    /**
     * Reports a latency distribution of this run for the chart (values in nanoseconds); the runner
     * merges the repeats.
     *
     * @param series the chart series, e.g. {@code "S1 round trip, same core"}
     * @param h      the histogram; the sink keeps a copy
     */
    void histogram(String series, Histogram h);

    /**
     * Reports a remark that belongs beside the figures (a bar not applicable, a failed check).
     *
     * @param text the remark
     */
    void note(String text);
}
