package org.aioloop.bench.scenario;

import org.aioloop.posix.Affinity;

/**
 * Pins the calling thread to one CPU through aioloop's posix layer ({@code sched_setaffinity}),
 * the same call for every peer.
 */
final class Pinning {
    private Pinning() {
    }

    static void pin(int cpu) {
        Affinity.pinCurrentThread(cpu);
    }

    static int cpuCount() {
        return Affinity.cpuCount();
    }
}
