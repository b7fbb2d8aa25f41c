package org.aioloop.bench.scenario;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;
import org.aioloop.bench.BenchConfig;
import org.aioloop.bench.load.LoadGenerator;

/**
 * Runs {@link LoadGenerator} as a child JVM against an echo server in this process, and measures
 * this process's CPU time between the generator's {@code MEASURE} and {@code STOP} lines.
 */
final class LoadGeneratorProcess {
    private static final long DRAIN_MILLIS = 3_000;

    /** What one generator run reported. */
    record Outcome(long measured, long total, long p50Nanos, long p99Nanos, long maxNanos, long lost,
            long corrupt, long serverCpuNanos, long loopCpuNanos, long measureNanos, Histogram latency) {
    }

    private LoadGeneratorProcess() {
    }

    /**
     * @param port           the echo server's port
     * @param cfg            connections, message size, warm-up and measuring time
     * @param loopThread     the server's loop thread, whose own CPU time is measured too
     * @param duringMeasure  run on this thread right after {@code MEASURE}, may be null; it must
     *                       return quickly (start a thread) to leave the window intact
     * @return the generator's figures
     * @throws Exception if the generator fails or does not finish in time
     */
    static Outcome run(int port, BenchConfig cfg, Thread loopThread, Runnable duringMeasure) throws Exception {
        return run(port, cfg, loopThread, duringMeasure, DRAIN_MILLIS);
    }

    /**
     * As {@link #run(int, BenchConfig, Thread, Runnable)} with a given drain time.
     *
     * @param drainMillis how long after STOP an echo may still arrive before its message is lost
     */
    static Outcome run(int port, BenchConfig cfg, Thread loopThread, Runnable duringMeasure, long drainMillis)
            throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xms64m", "-Xmx256m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), LoadGenerator.class.getName(),
                Integer.toString(port), Integer.toString(cfg.s5Connections()), Integer.toString(cfg.s5MessageBytes()),
                Long.toString(cfg.s5WarmupMillis()), Long.toString(cfg.s5MeasureMillis()),
                Long.toString(drainMillis)));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        long limitMillis = cfg.s5WarmupMillis() + cfg.s5MeasureMillis() + drainMillis + 30_000;
        Thread watchdog = new Thread(() -> {
            try {
                if (!p.waitFor(limitMillis, TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }, "load-generator-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            long cpuStart = 0;
            long loopCpuStart = 0;
            long wallStart = 0;
            long cpuEnd = 0;
            long loopCpuEnd = 0;
            long wallEnd = 0;
            Map<String, Long> kv = null;
            String line;
            while ((line = r.readLine()) != null) {
                switch (line.split(" ", 2)[0]) {
                    case "MEASURE" -> {
                        cpuStart = processCpuNanos();
                        loopCpuStart = threadCpuNanos(loopThread);
                        wallStart = System.nanoTime();
                        if (duringMeasure != null) {
                            duringMeasure.run();
                        }
                    }
                    case "STOP" -> {
                        cpuEnd = processCpuNanos();
                        loopCpuEnd = threadCpuNanos(loopThread);
                        wallEnd = System.nanoTime();
                    }
                    case "RESULT" -> kv = parse(line);
                    case "HIST" -> {
                        if (kv == null) {
                            throw new IOException("load generator sent HIST before RESULT");
                        }
                        Histogram h = Histogram.decodeFromCompressedByteBuffer(
                                ByteBuffer.wrap(Base64.getDecoder().decode(line.substring(5))), 0);
                        if (!p.waitFor(10, TimeUnit.SECONDS)) {
                            p.destroyForcibly();
                        }
                        return new Outcome(kv.get("measured"), kv.get("total"), kv.get("p50"), kv.get("p99"),
                                kv.get("max"), kv.get("lost"), kv.get("corrupt"), cpuEnd - cpuStart,
                                loopCpuEnd - loopCpuStart, wallEnd - wallStart, h);
                    }
                    default -> {
                        // READY and anything else: nothing to do
                    }
                }
            }
            throw new IOException("load generator ended without a RESULT line (exit " + p.waitFor() + ")");
        } finally {
            p.destroyForcibly();
        }
    }

    private static Map<String, Long> parse(String line) {
        Map<String, Long> kv = new HashMap<>();
        for (String part : line.split(" ")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                kv.put(part.substring(0, eq), Long.parseLong(part.substring(eq + 1)));
            }
        }
        return kv;
    }

    private static long threadCpuNanos(Thread t) {
        return ManagementFactory.getThreadMXBean().getThreadCpuTime(t.getId());
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
