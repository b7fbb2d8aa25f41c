package org.aioloop.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Pinning a thread, on a throwaway thread so the test runner's mask is untouched. */
class AffinityTest {
    @Test
    void cpuCountMatchesTheMask() {
        int n = Affinity.cpuCount();
        assertTrue(n >= 1 && n <= Runtime.getRuntime().availableProcessors() * 64, "cpus " + n);
        assertEquals(Affinity.currentAffinity().cardinality(), n);
    }

    @Test
    void pinningRestrictsOnlyTheCallingThread() throws Exception {
        BitSet mine = Affinity.currentAffinity();
        int cpu = mine.nextSetBit(0);
        AtomicReference<Object> seen = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                Affinity.pinCurrentThread(cpu);
                seen.set(Affinity.currentAffinity());
            } catch (RuntimeException e) {
                seen.set(e);
            }
        });
        t.start();
        t.join(10_000);
        BitSet expected = new BitSet();
        expected.set(cpu);
        assertEquals(expected, seen.get());
        assertEquals(mine, Affinity.currentAffinity(), "the test thread is not pinned");
    }

    @Test
    void badCpuNumbersAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Affinity.pinCurrentThread(-1));
        assertThrows(IllegalArgumentException.class, () -> Affinity.pinCurrentThread(1024));
    }
}
