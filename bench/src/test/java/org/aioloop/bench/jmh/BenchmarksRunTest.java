package org.aioloop.bench.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * The JMH benchmarks compile into JMH's benchmark list and run (in-process, a few milliseconds
 * each): no timing is asserted, only that each produced a score on each backend.
 */
class BenchmarksRunTest {
    private static final Set<String> EXPECTED = Set.of(
            "LoopHotPathBenchmark.idleIteration", "LoopHotPathBenchmark.bhScheduleRun",
            "LoopHotPathBenchmark.timerArmFire", "LoopHotPathBenchmark.fdDispatch",
            "KickBenchmark.kickFromOtherThread");

    @Test
    void benchmarkListNamesEveryHotPath() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/META-INF/BenchmarkList")) {
            assertNotNull(in, "JMH's annotation processor did not run");
            String list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (String b : EXPECTED) {
                // JMH lists each benchmark by its generated class, <Class>_<method>_jmhTest.
                String generated = "org.aioloop.bench.jmh.jmh_generated." + b.replace('.', '_') + "_jmhTest";
                assertTrue(list.contains(generated), b + " not in BenchmarkList");
            }
        }
    }

    @Test
    void everyBenchmarkRunsOnBothBackends() throws Exception {
        Options opt = new OptionsBuilder()
                .include("org\\.aioloop\\.bench\\.jmh\\..*")
                .forks(0)
                .warmupIterations(1).warmupTime(TimeValue.milliseconds(50))
                .measurementIterations(1).measurementTime(TimeValue.milliseconds(50))
                .verbosity(VerboseMode.SILENT)
                .build();
        Collection<RunResult> results = new Runner(opt).run();
        Set<String> seen = new TreeSet<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark().replace("org.aioloop.bench.jmh.", "");
            String backend = r.getParams().getParam("backend");
            double score = r.getPrimaryResult().getScore();
            assertTrue(score > 0 && Double.isFinite(score), name + "/" + backend + " score " + score);
            seen.add(name + "/" + backend);
        }
        assertEquals(EXPECTED.size() * 2, seen.size(), "runs: " + seen);
    }
}
