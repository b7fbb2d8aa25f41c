package org.aioloop.bench.scenario;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.aioloop.bench.BenchConfig;
import org.aioloop.bench.peer.BenchLoop;
import org.aioloop.bench.peer.EchoServer;
import org.aioloop.bench.peer.Peer;
import org.aioloop.bench.report.Better;
import org.aioloop.bench.report.ResultSink;

/**
 * S6 live backend switch: S5 with extra idle fds registered in the same loop, while another thread
 * switches the loop poll↔epoll N times during the measuring time. Longest pause seen by the
 * clients (their maximum round trip), messages lost, registrations lost. Only for peers that can
 * switch (no other peer can).
 */
public final class BackendSwitchScenario implements Scenario {
    @Override
    public String id() {
        return "S6";
    }

    @Override
    public String title() {
        return "live backend switch poll↔epoll under S5 load with extra idle fds";
    }

    @Override
    public boolean appliesTo(Peer peer) {
        return peer.canSwitchBackend();
    }

    @SuppressWarnings("try") // resources held open for the run, closed in order
    @Override
    public void run(Peer peer, BenchConfig cfg, ResultSink sink) throws Exception {
        try (BenchLoop loop = peer.start(peer.name() + "-s6");
                AutoCloseable idle = loop.registerIdleFds(cfg.s6IdleFds());
                EchoServer server = loop.startEchoServer()) {
            // The same load on the same fds without any switch first: the longest round trip this
            // machine shows anyway (scheduling of the two processes on the cores), on epoll.
            loop.switchBackend("epoll").get(10, TimeUnit.SECONDS);
            LoadGeneratorProcess.Outcome still = LoadGeneratorProcess.run(server.port(), cfg,
                    EchoScenario.loopThread(loop), () -> { });
            Switcher switcher = new Switcher(loop, cfg);
            Thread t = new Thread(switcher, peer.name() + "-s6-switcher");
            LoadGeneratorProcess.Outcome o = LoadGeneratorProcess.run(server.port(), cfg,
                    EchoScenario.loopThread(loop), t::start);
            t.join(60_000);
            if (t.isAlive()) {
                throw new IllegalStateException("S6 switcher did not finish within 60 s");
            }
            if (switcher.failure.get() != null) {
                throw new IllegalStateException("S6 switch failed", switcher.failure.get());
            }
            EchoScenario.report(o, cfg, sink, "longest client pause");
            sink.value("longest client pause without switching", "ms", Better.LOWER, still.maxNanos() / 1e6);
            sink.value("longest switch", "ms", Better.LOWER, switcher.longestNanos / 1e6);
            sink.value("longest loop stall per switch", "ms", Better.LOWER, loop.longestSwitchStallNanos() / 1e6);
            sink.value("switches done", "count", Better.NONE, switcher.done);
            sink.value("registrations lost", "count", Better.NONE, switcher.before - switcher.after);
            sink.histogram("S6 client round trip during switches", o.latency());
        }
    }

    /** Switches poll↔epoll at an even pace over 80 % of the measuring time. */
    private static final class Switcher implements Runnable {
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final BenchLoop loop;
        private final BenchConfig cfg;
        volatile int before;
        volatile int after;
        volatile int done;
        volatile long longestNanos;

        Switcher(BenchLoop loop, BenchConfig cfg) {
            this.loop = loop;
            this.cfg = cfg;
        }

        @Override
        public void run() {
            try {
                before = loop.registeredFdCount();
                long start = System.nanoTime();
                long step = cfg.s5MeasureMillis() * 800_000L / Math.max(1, cfg.s6Switches());
                String current = loop.switchBackend("epoll").get(10, TimeUnit.SECONDS);
                for (int i = 0; i < cfg.s6Switches(); i++) {
                    long due = start + (i + 1) * step;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait); // pacing only, not synchronisation
                    }
                    String want = current.equals("epoll") ? "poll" : "epoll";
                    long t0 = System.nanoTime();
                    String got = loop.switchBackend(want).get(10, TimeUnit.SECONDS);
                    longestNanos = Math.max(longestNanos, System.nanoTime() - t0);
                    if (!got.equals(want)) {
                        throw new IllegalStateException("asked for " + want + ", still on " + got);
                    }
                    current = got;
                    done++;
                }
                after = loop.registeredFdCount();
            } catch (Throwable t) {
                failure.set(t);
            }
        }
    }
}
