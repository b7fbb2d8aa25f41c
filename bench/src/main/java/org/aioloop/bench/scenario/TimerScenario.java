package org.aioloop.bench.scenario;

import java.util.concurrent.CountDownLatch;

import org.HdrHistogram.Histogram;
import org.aioloop.bench.BenchConfig;
import org.aioloop.bench.peer.BenchLoop;
import org.aioloop.bench.peer.Peer;
import org.aioloop.bench.report.Better;
import org.aioloop.bench.report.ResultSink;

/**
 * S4 timers: N one-shot timers armed from the loop thread in one task, deadlines spread evenly
 * over a span that starts a lead after arming began (long enough for arming to end first, so
 * lateness measures firing, not arming). Time to fire all (from the first deadline), lateness
 * p50/p99/max, and how long arming took.
 */
public final class TimerScenario implements Scenario {
    @Override
    public String id() {
        return "S4";
    }

    @Override
    public String title() {
        return "timers: one-shot timers spread over a span";
    }

    @Override
    public void run(Peer peer, BenchConfig cfg, ResultSink sink) throws Exception {
        int n = cfg.s4Timers();
        Batch batch = new Batch(n, cfg.s4SpanNanos());
        Probe[] probes = new Probe[n];
        for (int i = 0; i < n; i++) {
            probes[i] = new Probe(batch, i);
        }
        try (BenchLoop loop = peer.start(peer.name() + "-s4")) {
            loop.runSync(() -> {
                long t0 = System.nanoTime();
                batch.base = t0 + cfg.s4LeadNanos();
                for (int i = 0; i < n; i++) {
                    loop.scheduleAt(batch.deadline(i), probes[i]);
                }
                batch.armNanos = System.nanoTime() - t0;
            });
            Waits.await(batch.done, cfg.s4SpanNanos() / 1_000_000 + cfg.patienceMillis(), "S4 timers");
        }
        double span = cfg.s4SpanNanos() / 1e9;
        sink.value("time to fire all (span " + fmtSeconds(span) + ")", "s", Better.LOWER,
                (batch.lastFire - batch.base) / 1e9);
        sink.value("lateness p50", "µs", Better.LOWER, batch.lateness.getValueAtPercentile(50) / 1000.0);
        sink.value("lateness p99", "µs", Better.LOWER, batch.lateness.getValueAtPercentile(99) / 1000.0);
        sink.value("lateness max", "ms", Better.LOWER, batch.lateness.getMaxValue() / 1e6);
        sink.value("arming " + n + " timers", "ms", Better.LOWER, batch.armNanos / 1e6);
        sink.histogram("S4 timer lateness", batch.lateness);
        if (batch.armNanos > cfg.s4LeadNanos()) {
            sink.note("arming took longer than the lead (" + cfg.s4LeadNanos() / 1_000_000
                    + " ms): early timers were late before the loop could run them");
        }
    }

    private static String fmtSeconds(double s) {
        return s == Math.rint(s) ? (long) s + " s" : s + " s";
    }

    /** Shared state of one run; touched by the loop thread only once arming starts. */
    private static final class Batch {
        final Histogram lateness = new Histogram(1, 600_000_000_000L, 3);
        final CountDownLatch done = new CountDownLatch(1);
        final int n;
        final long span;
        long base;
        long armNanos;
        int fired;
        long lastFire;

        Batch(int n, long span) {
            this.n = n;
            this.span = span;
        }

        long deadline(int i) {
            return base + (long) ((double) span * i / n);
        }
    }

    /** One timer's callback: records its lateness. */
    private static final class Probe implements Runnable {
        private final Batch batch;
        private final int index;

        Probe(Batch batch, int index) {
            this.batch = batch;
            this.index = index;
        }

        @Override
        public void run() {
            long now = System.nanoTime();
            // Never-negative: a timer that fires early would be a bug of the peer, recorded as 0.
            batch.lateness.recordValue(Math.max(0, now - batch.deadline(index)));
            if (++batch.fired == batch.n) {
                batch.lastFire = now;
                batch.done.countDown();
            }
        }
    }
}
