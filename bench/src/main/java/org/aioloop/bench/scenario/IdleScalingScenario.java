package org.aioloop.bench.scenario;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;
import org.aioloop.bench.BenchConfig;
import org.aioloop.bench.peer.BenchLoop;
import org.aioloop.bench.peer.BenchPipe;
import org.aioloop.bench.peer.Peer;
import org.aioloop.bench.report.Better;
import org.aioloop.bench.report.ResultSink;

/**
 * S3 idle-fd scaling: K idle registered fds plus one pipe pinged from another thread, the loop and
 * the pinger pinned to CPU 0. The pinger writes a byte; the loop's callback reads it and unparks the
 * pinger. p50/p99 round trip per K, over N round trips or a time budget, whichever ends first.
 */
public final class IdleScalingScenario implements Scenario {
    private static final long PARK_LIMIT_NANOS = 5_000_000_000L;

    @Override
    public String id() {
        return "S3";
    }

    @Override
    public String title() {
        return "idle-fd scaling: one pinged pipe among K idle fds";
    }

    @Override
    public void run(Peer peer, BenchConfig cfg, ResultSink sink) throws Exception {
        for (int k : cfg.s3IdleCounts()) {
            measure(peer, k, cfg, sink);
        }
    }

    @SuppressWarnings("try") // resources held open for the run, closed in order
    private static void measure(Peer peer, int k, BenchConfig cfg, ResultSink sink) throws Exception {
        try (BenchLoop loop = peer.start(peer.name() + "-s3");
                AutoCloseable idle = loop.registerIdleFds(k);
                BenchPipe pipe = loop.openPipe()) {
            loop.runSync(() -> Pinning.pin(0));
            Ack ack = new Ack();
            Histogram h = new Histogram(1, 60_000_000_000L, 3);
            // Unregister before the pipe closes: a closed fd left in a poll set reads as NVAL.
            try (AutoCloseable watch = loop.watchReadable(pipe, () -> {
                if (pipe.readByte()) {
                    ack.count++;
                    LockSupport.unpark(ack.waiter);
                }
            })) {
                pingFromPinnedThread(peer, pipe, ack, cfg, h, k);
            }
            String backend = loop.backendName();
            if (backend != null) {
                sink.note("K=" + k + " ran on " + backend);
            }
            sink.value("p50 round trip, K=" + k, "µs", Better.LOWER, h.getValueAtPercentile(50) / 1000.0);
            sink.value("p99 round trip, K=" + k, "µs", Better.LOWER, h.getValueAtPercentile(99) / 1000.0);
            if (h.getTotalCount() < cfg.s3RoundTrips()) {
                sink.note("K=" + k + ": time budget reached after " + h.getTotalCount() + " round trips");
            }
            sink.histogram("S3 round trip, K=" + k, h);
        }
    }

    private static void pingFromPinnedThread(Peer peer, BenchPipe pipe, Ack ack, BenchConfig cfg, Histogram h,
            int k) throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread pinger = new Thread(() -> {
            try {
                Pinning.pin(0);
                ack.waiter = Thread.currentThread();
                ping(pipe, ack, cfg.s3Warmup(), cfg.s3RoundTrips(), cfg.s3MaxMillis(), h);
            } catch (Throwable t) {
                failure.set(t);
            }
        }, peer.name() + "-s3-pinger");
        pinger.start();
        pinger.join(120_000);
        if (pinger.isAlive()) {
            pinger.interrupt();
            throw new IllegalStateException("S3 pinger did not finish within 120 s (K=" + k + ")");
        }
        if (failure.get() != null) {
            throw new IllegalStateException("S3 pinger failed (K=" + k + ")", failure.get());
        }
    }

    private static void ping(BenchPipe pipe, Ack ack, int warmup, int roundTrips, long maxMillis, Histogram h) {
        // A slow peer (poll(2) over 10,000 fds) ends each phase at its time budget, with fewer samples.
        long budget = maxMillis * 1_000_000;
        long acked = pingFor(pipe, ack, ack.count, warmup, budget / 2, null);
        pingFor(pipe, ack, acked, roundTrips, budget, h);
    }

    private static long pingFor(BenchPipe pipe, Ack ack, long acked, int count, long budgetNanos, Histogram h) {
        long start = System.nanoTime();
        for (int i = 0; i < count && System.nanoTime() - start < budgetNanos; i++) {
            long t0 = System.nanoTime();
            pipe.writeByte();
            long want = acked + 1;
            while (ack.count < want) {
                LockSupport.parkNanos(ack, PARK_LIMIT_NANOS);
                if (ack.count < want && System.nanoTime() - t0 > PARK_LIMIT_NANOS) {
                    throw new IllegalStateException("no answer to ping " + i + " within 5 s");
                }
            }
            acked = want;
            if (h != null) {
                h.recordValue(System.nanoTime() - t0);
            }
        }
        return acked;
    }

    /** The loop's answer: a count the loop thread bumps and the pinger reads. */
    private static final class Ack {
        volatile long count;
        volatile Thread waiter;
    }
}
