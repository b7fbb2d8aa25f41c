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
 * pinger. p50/p99 round trip per K.
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
                ping(pipe, ack, cfg.s3Warmup(), cfg.s3RoundTrips(), h);
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

    private static void ping(BenchPipe pipe, Ack ack, int warmup, int roundTrips, Histogram h) {
        long acked = ack.count;
        for (int i = 0; i < warmup + roundTrips; i++) {
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
            long rt = System.nanoTime() - t0;
            if (i >= warmup) {
                h.recordValue(rt);
            }
        }
    }

    /** The loop's answer: a count the loop thread bumps and the pinger reads. */
    private static final class Ack {
        volatile long count;
        volatile Thread waiter;
    }
}
