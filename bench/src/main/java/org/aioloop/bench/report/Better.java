package org.aioloop.bench.report;

/**
 * Which direction of a metric is the good one; decides how the ratio column reads.
 */
public enum Better {
    /** Throughput-like: more is better. */
    HIGHER,
    /** Latency-like: less is better. */
    LOWER,
    /** Informational (a count that must be 0, a configuration figure). */
    NONE
}
