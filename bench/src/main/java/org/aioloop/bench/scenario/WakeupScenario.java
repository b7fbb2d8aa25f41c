package org.aioloop.bench.scenario;

import java.util.concurrent.CountDownLatch;

import org.HdrHistogram.Histogram;
import org.aioloop.bench.BenchConfig;
import org.aioloop.bench.peer.BenchLoop;
import org.aioloop.bench.peer.Peer;
import org.aioloop.bench.peer.Trigger;
import org.aioloop.bench.report.Better;
import org.aioloop.bench.report.ResultSink;

/**
 * S1 wakeup: two loops on two threads ping-pong a task through their cross-thread API; each
 * otherwise blocks in its wait. Run twice: both loop threads pinned to CPU 0 (the software path),
 * then pinned to CPUs 0 and 1 (adds the hypervisor's cross-core wakeup, the same for every peer).
 */
public final class WakeupScenario implements Scenario {
    @Override
    public String id() {
        return "S1";
    }

    @Override
    public String title() {
        return "wakeup: cross-thread task ping-pong between two loops";
    }

    @Override
    public void run(Peer peer, BenchConfig cfg, ResultSink sink) throws Exception {
        measure(peer, cfg.s1Warmup(), cfg.s1RoundTrips(), 0, 0, "same core", cfg.patienceMillis(), sink);
        if (Pinning.cpuCount() >= 2) {
            measure(peer, cfg.s1Warmup() / 4, cfg.s1CrossRoundTrips(), 0, 1, "2 cores", cfg.patienceMillis(), sink);
        } else {
            sink.note("one CPU only: no cross-core run");
        }
    }

    private static void measure(Peer peer, int warmup, int roundTrips, int cpuA, int cpuB, String label,
            long patienceMillis, ResultSink sink) throws Exception {
        try (BenchLoop a = peer.start(peer.name() + "-s1-a"); BenchLoop b = peer.start(peer.name() + "-s1-b")) {
            a.runSync(() -> Pinning.pin(cpuA));
            b.runSync(() -> Pinning.pin(cpuB));
            PingPong pp = new PingPong(warmup, roundTrips);
            Trigger toA = a.newTrigger(pp::onA);
            pp.toB = b.newTrigger(toA::fire);
            pp.last = System.nanoTime();
            pp.start = pp.last;
            pp.toB.fire();
            // 100 µs per round trip is above the slowest expected (about 80 µs across cores).
            Waits.await(pp.done, patienceMillis + (warmup + (long) roundTrips) / 10, "S1 ping-pong (" + label + ")");
            double seconds = (pp.end - pp.start) / 1e9;
            sink.value("round trips/s, " + label, "1/s", Better.HIGHER, roundTrips / seconds);
            sink.value("p50, " + label, "µs", Better.LOWER, pp.latency.getValueAtPercentile(50) / 1000.0);
            sink.value("p99, " + label, "µs", Better.LOWER, pp.latency.getValueAtPercentile(99) / 1000.0);
            sink.histogram("S1 round trip, " + label, pp.latency);
        }
    }

    /** State of one ping-pong; every field after the first fire is touched by loop A only. */
    private static final class PingPong {
        final Histogram latency = new Histogram(1, 60_000_000_000L, 3);
        final CountDownLatch done = new CountDownLatch(1);
        final int warmup;
        final int total;
        Trigger toB;
        long last;
        int count;
        long start;
        long end;

        PingPong(int warmup, int roundTrips) {
            this.warmup = warmup;
            this.total = warmup + roundTrips;
        }

        void onA() {
            long now = System.nanoTime();
            count++;
            if (count > warmup) {
                latency.recordValue(now - last);
            } else if (count == warmup) {
                start = now;
            }
            last = now;
            if (count == total) {
                end = now;
                done.countDown();
            } else {
                toB.fire();
            }
        }
    }
}
