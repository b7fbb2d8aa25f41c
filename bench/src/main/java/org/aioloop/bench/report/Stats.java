package org.aioloop.bench.report;

import java.util.Arrays;
import java.util.List;

/**
 * Median and range of the repeats of one metric on one peer.
 *
 * @param median the median (mean of the two middle values for an even count)
 * @param min    the smallest value
 * @param max    the largest value
 * @param count  how many repeats
 */
public record Stats(double median, double min, double max, int count) {
    /**
     * @param values at least one value
     * @return their statistics
     * @throws IllegalArgumentException if {@code values} is empty
     */
    public static Stats of(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values");
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        int n = v.length;
        double median = (n % 2 == 1) ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
        return new Stats(median, v[0], v[n - 1], n);
    }
}
