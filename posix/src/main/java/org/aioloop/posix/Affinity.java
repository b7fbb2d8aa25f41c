package org.aioloop.posix;

import com.sun.jna.Native;
import java.util.BitSet;

/**
 * CPU affinity of the calling thread ({@code sched_setaffinity}/{@code sched_getaffinity} with
 * pid 0, which Linux reads as "the calling thread"). The benchmarks pin loop threads with it.
 * The mask is a {@code cpu_set_t} of 1024 bits.
 */
public final class Affinity {
    private static final int CPU_SET_BYTES = 128;
    private static final int MAX_CPUS = CPU_SET_BYTES * 8;

    private Affinity() {
    }

    /**
     * @return the number of CPUs the calling thread may run on
     */
    public static int cpuCount() {
        return currentAffinity().cardinality();
    }

    /**
     * @return the CPUs the calling thread may run on
     */
    public static BitSet currentAffinity() {
        try (NativeBuffer mask = NativeBuffer.allocate(CPU_SET_BYTES)) {
            if (LibC.sched_getaffinity(0, CPU_SET_BYTES, mask.address()) != 0) {
                throw Errno.exception("sched_getaffinity", Native.getLastError(), -1);
            }
            BitSet cpus = new BitSet(MAX_CPUS);
            for (int i = 0; i < CPU_SET_BYTES / 8; i++) {
                long word = mask.getLong(i * 8);
                for (int b = 0; b < 64; b++) {
                    if ((word & (1L << b)) != 0) {
                        cpus.set(i * 64 + b);
                    }
                }
            }
            return cpus;
        }
    }

    /**
     * Pins the calling thread to one CPU.
     *
     * @param cpu a CPU number, 0 &lt;= cpu &lt; 1024
     * @throws IllegalArgumentException if {@code cpu} is out of range
     * @throws org.aioloop.api.NativeCallException with {@code EINVAL} if the CPU is not online or not
     *                                             allowed
     */
    public static void pinCurrentThread(int cpu) {
        if (cpu < 0 || cpu >= MAX_CPUS) {
            throw new IllegalArgumentException("cpu must be in [0, " + MAX_CPUS + "): " + cpu);
        }
        BitSet one = new BitSet();
        one.set(cpu);
        setCurrentAffinity(one);
    }

    /**
     * Restricts the calling thread to {@code cpus} (e.g. to restore a saved {@link #currentAffinity()}).
     *
     * @param cpus a non-empty set of CPU numbers below 1024
     */
    public static void setCurrentAffinity(BitSet cpus) {
        if (cpus.isEmpty() || cpus.length() > MAX_CPUS) {
            throw new IllegalArgumentException("cpu set must be non-empty and below " + MAX_CPUS + ": " + cpus);
        }
        try (NativeBuffer mask = NativeBuffer.allocate(CPU_SET_BYTES)) {
            for (int cpu = cpus.nextSetBit(0); cpu >= 0; cpu = cpus.nextSetBit(cpu + 1)) {
                int word = cpu / 64;
                mask.putLong(word * 8, mask.getLong(word * 8) | (1L << (cpu % 64)));
            }
            if (LibC.sched_setaffinity(0, CPU_SET_BYTES, mask.address()) != 0) {
                throw Errno.exception("sched_setaffinity(" + cpus + ")", Native.getLastError(), -1);
            }
        }
    }
}
