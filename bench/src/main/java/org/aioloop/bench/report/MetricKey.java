package org.aioloop.bench.report;

/**
 * One row group of the table: a metric of a scenario, with its unit and good direction.
 *
 * @param scenario the scenario id, e.g. {@code "S1"}
 * @param metric   what is measured, e.g. {@code "p50 same core"}
 * @param unit     the unit, e.g. {@code "µs"}
 * @param better   which direction is good
 */
public record MetricKey(String scenario, String metric, String unit, Better better) {
}
