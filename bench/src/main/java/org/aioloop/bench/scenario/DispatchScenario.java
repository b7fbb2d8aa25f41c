package org.aioloop.bench.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.aioloop.bench.BenchConfig;
import org.aioloop.bench.peer.BenchLoop;
import org.aioloop.bench.peer.BenchPipe;
import org.aioloop.bench.peer.Peer;
import org.aioloop.bench.report.Better;
import org.aioloop.bench.report.ResultSink;

/**
 * S2 dispatch: one loop, N pipes each holding one unread byte (always readable, level-triggered),
 * a callback per ready fd that only counts. Events dispatched per second.
 */
public final class DispatchScenario implements Scenario {
    @Override
    public String id() {
        return "S2";
    }

    @Override
    public String title() {
        return "dispatch: always-readable pipes, a counting callback";
    }

    @Override
    public void run(Peer peer, BenchConfig cfg, ResultSink sink) throws Exception {
        List<BenchPipe> pipes = new ArrayList<>(cfg.s2Pipes());
        Counter counter = new Counter(cfg.s2Warmup(), cfg.s2Events());
        try {
            try (BenchLoop loop = peer.start(peer.name() + "-s2")) {
                for (int i = 0; i < cfg.s2Pipes(); i++) {
                    BenchPipe p = loop.openPipe();
                    pipes.add(p);
                    p.writeByte();
                }
                for (BenchPipe p : pipes) {
                    loop.watchReadable(p, counter::onReady);
                }
                // Count only once every pipe is registered, so all runs see N ready fds.
                loop.runSync(() -> counter.armed = true);
                // Closing the loop drops the registrations; the pipes are closed after it.
                Waits.await(counter.done, cfg.patienceMillis(), "S2 dispatch");
            }
            double seconds = (counter.end - counter.start) / 1e9;
            sink.value("events/s, " + cfg.s2Pipes() + " ready fds", "1/s", Better.HIGHER, cfg.s2Events() / seconds);
        } finally {
            for (BenchPipe p : pipes) {
                p.close();
            }
        }
    }

    /** Counts dispatches; touched by the loop thread only. */
    private static final class Counter {
        final CountDownLatch done = new CountDownLatch(1);
        final long warmup;
        final long total;
        boolean armed;
        long count;
        long start;
        long end;

        Counter(long warmup, long events) {
            this.warmup = warmup;
            this.total = warmup + events;
        }

        void onReady() {
            if (!armed) {
                return;
            }
            long c = ++count;
            if (c == warmup) {
                start = System.nanoTime();
            } else if (c == total) {
                end = System.nanoTime();
                done.countDown();
            }
        }
    }
}
