package org.aioloop.bench.scenario;

/**
 * Pins the calling thread to one CPU through aioloop's posix layer ({@code sched_setaffinity}).
 */
final class Pinning {
    private Pinning() {
    }

    static void pin(int cpu) {
        throw new UnsupportedOperationException("posix Affinity not available yet");
    }

    static int cpuCount() {
        return Runtime.getRuntime().availableProcessors();
    }
}
