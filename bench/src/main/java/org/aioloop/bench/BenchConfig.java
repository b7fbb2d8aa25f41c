package org.aioloop.bench;

import java.nio.file.Path;

/**
 * The counts and durations of a side-by-side run. {@link #full()} is the definition;
 * {@link #smoke()} has tiny counts so the test suite can run every scenario on every peer.
 *
 * @param repeats              runs of each scenario per peer
 * @param s1RoundTrips         S1 measured round trips, both loops on one core
 * @param s1CrossRoundTrips    S1 measured round trips, loops on two cores (about 10× slower each)
 * @param s1Warmup             S1 round trips before measuring
 * @param s2Pipes              S2 always-readable pipes
 * @param s2Events             S2 measured dispatches
 * @param s2Warmup             S2 dispatches before measuring
 * @param s3IdleCounts         S3 values of K
 * @param s3RoundTrips         S3 measured round trips per K
 * @param s3Warmup             S3 round trips before measuring
 * @param s3MaxMillis          S3 time budget per K for the measured round trips
 * @param s4Timers             S4 one-shot timers
 * @param s4SpanNanos          S4 span the deadlines are spread over
 * @param s4LeadNanos          S4 gap between the start of arming and the first deadline (arming
 *                             should end before it; the report says when it did not)
 * @param s5Connections        S5 client connections
 * @param s5MessageBytes       S5 message size
 * @param s5WarmupMillis       S5 warm-up before measuring
 * @param s5MeasureMillis      S5 measuring time
 * @param s6IdleFds            S6 extra idle fds
 * @param s6Switches           S6 backend switches during the measuring time
 * @param patienceMillis       how long a run may wait for its loop beyond the expected time before
 *                             it fails (bounded runs: a broken peer fails, it does not hang)
 * @param out                  where the table, Markdown and PNG go
 */
public record BenchConfig(int repeats,
        int s1RoundTrips, int s1CrossRoundTrips, int s1Warmup,
        int s2Pipes, long s2Events, long s2Warmup,
        int[] s3IdleCounts, int s3RoundTrips, int s3Warmup, long s3MaxMillis,
        int s4Timers, long s4SpanNanos, long s4LeadNanos,
        int s5Connections, int s5MessageBytes, long s5WarmupMillis, long s5MeasureMillis,
        int s6IdleFds, int s6Switches,
        long patienceMillis, Path out) {

    /**
     * @param out the output directory
     * @return the counts: ≥ 200k S1 round trips, 1,000 pipes, K up to 10,000, 1M timers
     *         over 1 s, 64 connections for 10 s, 100 switches with 10,000 idle fds, 3 repeats
     */
    public static BenchConfig full(Path out) {
        return new BenchConfig(3,
                200_000, 30_000, 20_000,
                1_000, 5_000_000, 1_000_000,
                new int[] {10, 1_000, 10_000}, 50_000, 5_000, 4_000,
                1_000_000, 1_000_000_000L, 1_000_000_000L,
                64, 64, 2_000, 10_000,
                10_000, 100,
                30_000, out);
    }

    /**
     * @param out the output directory
     * @return tiny counts: every scenario runs once per peer in a few seconds
     */
    public static BenchConfig smoke(Path out) {
        return new BenchConfig(1,
                2_000, 500, 500,
                100, 20_000, 5_000,
                new int[] {10, 100}, 1_000, 200, 2_000,
                10_000, 100_000_000L, 100_000_000L,
                4, 64, 200, 400,
                100, 4,
                10_000, out);
    }

    /**
     * @param n the new repeat count, &gt;= 1
     * @return a copy with {@code repeats = n}
     */
    public BenchConfig withRepeats(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("--repeats must be >= 1: " + n);
        }
        return new BenchConfig(n, s1RoundTrips, s1CrossRoundTrips, s1Warmup, s2Pipes, s2Events, s2Warmup,
                s3IdleCounts, s3RoundTrips, s3Warmup, s3MaxMillis, s4Timers, s4SpanNanos, s4LeadNanos, s5Connections,
                s5MessageBytes, s5WarmupMillis, s5MeasureMillis, s6IdleFds, s6Switches, patienceMillis, out);
    }

    /**
     * @param seconds the new S5/S6 measuring time, &gt; 0
     * @return a copy with that measuring time
     */
    public BenchConfig withEchoSeconds(double seconds) {
        if (!(seconds > 0)) {
            throw new IllegalArgumentException("--echo-seconds must be > 0: " + seconds);
        }
        return new BenchConfig(repeats, s1RoundTrips, s1CrossRoundTrips, s1Warmup, s2Pipes, s2Events, s2Warmup,
                s3IdleCounts, s3RoundTrips, s3Warmup, s3MaxMillis, s4Timers, s4SpanNanos, s4LeadNanos, s5Connections,
                s5MessageBytes, s5WarmupMillis, (long) (seconds * 1000), s6IdleFds, s6Switches, patienceMillis, out);
    }
}
