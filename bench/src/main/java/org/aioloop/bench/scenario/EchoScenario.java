package org.aioloop.bench.scenario;

import org.aioloop.bench.BenchConfig;
import org.aioloop.bench.peer.BenchLoop;
import org.aioloop.bench.peer.EchoServer;
import org.aioloop.bench.peer.Peer;
import org.aioloop.bench.report.Better;
import org.aioloop.bench.report.ResultSink;

/**
 * S5 echo: a loopback TCP echo server on one loop thread; C connections doing synchronous B-byte
 * ping-pong from the separate load generator process. Messages/s, client p50/p99, and this
 * process's CPU time per message.
 */
public final class EchoScenario implements Scenario {
    @Override
    public String id() {
        return "S5";
    }

    @Override
    public String title() {
        return "echo: loopback TCP ping-pong from a separate load generator process";
    }

    @Override
    public void run(Peer peer, BenchConfig cfg, ResultSink sink) throws Exception {
        try (BenchLoop loop = peer.start(peer.name() + "-s5"); EchoServer server = loop.startEchoServer()) {
            LoadGeneratorProcess.Outcome o = LoadGeneratorProcess.run(server.port(), cfg, loopThread(loop), null);
            report(o, cfg, sink);
            sink.histogram("S5 client round trip", o.latency());
        }
    }

    static Thread loopThread(BenchLoop loop) {
        Thread[] t = new Thread[1];
        loop.runSync(() -> t[0] = Thread.currentThread());
        return t[0];
    }

    static void report(LoadGeneratorProcess.Outcome o, BenchConfig cfg, ResultSink sink) {
        report(o, cfg, sink, "longest client round trip");
    }

    /**
     * @param maxLabel what to call the longest round trip (S6: the longest pause)
     */
    static void report(LoadGeneratorProcess.Outcome o, BenchConfig cfg, ResultSink sink, String maxLabel) {
        if (o.measured() == 0) {
            throw new IllegalStateException("no message completed while measuring");
        }
        sink.value("messages/s", "1/s", Better.HIGHER, o.measured() / (cfg.s5MeasureMillis() / 1e3));
        sink.value("client p50", "µs", Better.LOWER, o.p50Nanos() / 1000.0);
        sink.value("client p99", "µs", Better.LOWER, o.p99Nanos() / 1000.0);
        sink.value(maxLabel, "ms", Better.LOWER, o.maxNanos() / 1e6);
        // CPU and message count over the same window: this process's CPU between MEASURE and STOP,
        // and the messages completed in the generator's window, scaled to the parent's window.
        double messagesInCpuWindow = o.measured() * (o.measureNanos() / 1e6) / cfg.s5MeasureMillis();
        sink.value("server CPU per message", "µs", Better.LOWER, o.serverCpuNanos() / 1000.0 / messagesInCpuWindow);
        sink.value("loop thread CPU per message", "µs", Better.LOWER, o.loopCpuNanos() / 1000.0 / messagesInCpuWindow);
        sink.value("messages lost", "count", Better.NONE, o.lost());
        if (o.corrupt() != 0) {
            sink.note(o.corrupt() + " echoes differed from what was sent");
        }
    }
}
