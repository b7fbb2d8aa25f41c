package org.aioloop.plugin.block;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.aioloop.api.AioException;
import org.aioloop.api.ContextClosedException;
import org.aioloop.api.InvalidConfigurationException;
import org.aioloop.plugin.testkit.DeviceHarness;
import org.aioloop.plugin.testkit.FdLeakCheck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The block device on a real context whose thread pool runs the file I/O.
 */
class BlockFileDeviceTest {
    private static FdLeakCheck fds;
    @TempDir
    Path dir;
    private DeviceHarness harness;

    @BeforeAll
    static void countFds() {
        fds = FdLeakCheck.start();
    }

    @AfterAll
    static void noFdLeaked() {
        fds.assertNoLeak();
    }

    @BeforeEach
    void start() {
        harness = DeviceHarness.builder().name("block-test").build();
    }

    @AfterEach
    void stop() {
        harness.close();
    }

    private BlockFileDevice device(Path file, boolean readOnly, int depth, int waiting) {
        return new BlockFileDevice("blk", file, readOnly, true, 0, depth, waiting);
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    @Test
    void writesReadsBackAndFlushesWithCompletionsOnTheHomeThread() throws Exception {
        Path file = dir.resolve("disk.img");
        BlockFileDevice d = new BlockFileDevice("blk", file, false, true, 1 << 20, 4, 16);
        harness.attach(d);
        assertEquals(1 << 20, Files.size(file), "extended to sizeBytes");

        byte[] data = new byte[64 * 1024];
        new Random(1).nextBytes(data);
        // The stage is chained on the home thread, before the write can complete (its completion
        // needs the home thread too), so it runs where the completion is delivered.
        CompletableFuture<Boolean> onHome = harness.call(() -> d.write(4096, ByteBuffer.wrap(data))
                .thenApply(n -> n == data.length && harness.context().inHomeThread()));
        assertTrue(await(onHome), "completed with the full length, on the home thread");
        assertEquals(0, await(d.flush()));

        ByteBuffer back = ByteBuffer.allocate(data.length);
        assertEquals(data.length, await(d.read(4096, back)));
        assertArrayEquals(data, back.array());

        BlockStats s = d.stats();
        assertEquals(1, s.reads());
        assertEquals(1, s.writes());
        assertEquals(1, s.flushes());
        assertEquals(data.length, s.bytesRead());
        assertEquals(data.length, s.bytesWritten());
        assertEquals(0, s.errors());
        assertEquals(0, s.inFlight());
    }

    @Test
    void readPastTheEndIsShort() throws Exception {
        Path file = dir.resolve("short.img");
        Files.write(file, new byte[] {1, 2, 3});
        BlockFileDevice d = device(file, true, 1, 0);
        harness.attach(d);
        ByteBuffer buf = ByteBuffer.allocate(10);
        assertEquals(2, await(d.read(1, buf)));
        assertEquals(0, await(d.read(100, ByteBuffer.allocate(4))));
    }

    @Test
    void readOnlyDeviceRefusesWritesAndKeepsTheFile() throws Exception {
        Path file = dir.resolve("ro.img");
        Files.write(file, new byte[] {7, 7, 7, 7});
        BlockFileDevice d = device(file, true, 1, 0);
        harness.attach(d);
        ExecutionException e = assertThrows(ExecutionException.class, () -> await(d.write(0, ByteBuffer.wrap(new byte[4]))));
        assertInstanceOf(BlockRequestException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("read-only"), e.getCause().getMessage());
        assertArrayEquals(new byte[] {7, 7, 7, 7}, Files.readAllBytes(file));
        assertEquals(1, d.stats().errors());
    }

    @Test
    void badRequestsGetCleanErrors() throws Exception {
        BlockFileDevice d = device(dir.resolve("bad.img"), false, 1, 0);
        harness.attach(d);
        ExecutionException neg = assertThrows(ExecutionException.class, () -> await(d.read(-1, ByteBuffer.allocate(1))));
        assertInstanceOf(BlockRequestException.class, neg.getCause());
        ExecutionException noBuf = assertThrows(ExecutionException.class, () -> await(d.write(0, null)));
        assertInstanceOf(BlockRequestException.class, noBuf.getCause());
        // the device keeps serving
        assertEquals(1, await(d.write(0, ByteBuffer.wrap(new byte[] {9}))));
    }

    @Test
    void unwritableFileFailsAttachCleanly() {
        // a directory cannot be opened for writing, even by root
        BlockFileDevice d = device(dir, false, 1, 0);
        AioException e = assertThrows(AioException.class, () -> harness.attach(d));
        assertInstanceOf(BlockRequestException.class, e.getCause());
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
        assertFalse(harness.isAttached(d));
    }

    @Test
    void missingFileWithoutCreateIsNamed() {
        Path missing = dir.resolve("nope.img");
        BlockFileDevice d = new BlockFileDevice("blk", missing, false, false, 0, 1, 0);
        AioException e = assertThrows(AioException.class, () -> harness.attach(d));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertFalse(Files.exists(missing));
    }

    @Test
    void queueDepthLimitsRequestsInFlightAndRefusesBeyondTheWaitQueue() throws Exception {
        BlockFileDevice d = device(dir.resolve("q.img"), false, 2, 3);
        harness.attach(d);
        // Submitted inside one home-thread callback: no completion can run in between, so exactly
        // 2 start, 3 wait and the rest are refused.
        List<CompletableFuture<Integer>> futures = harness.call(() -> {
            List<CompletableFuture<Integer>> fs = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                fs.add(d.write(i * 8L, ByteBuffer.wrap(new byte[8])));
            }
            BlockStats s = d.stats();
            assertEquals(2, s.inFlight());
            assertEquals(3, s.queued());
            return fs;
        });
        int ok = 0;
        int full = 0;
        for (CompletableFuture<Integer> f : futures) {
            try {
                assertEquals(8, await(f));
                ok++;
            } catch (ExecutionException e) {
                assertInstanceOf(BlockQueueFullException.class, e.getCause());
                full++;
            }
        }
        assertEquals(5, ok);
        assertEquals(5, full);
        BlockStats s = d.stats();
        assertEquals(2, s.maxInFlight());
        assertEquals(5, s.rejected());
        assertEquals(5, s.writes());
    }

    @Test
    void requestsFromManyThreadsAllComplete() throws Exception {
        BlockFileDevice d = device(dir.resolve("mt.img"), false, 4, 1000);
        harness.attach(d);
        int threads = 4;
        int perThread = 100;
        List<CompletableFuture<Integer>> all = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int base = t * perThread;
            Thread w = new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    byte[] block = new byte[16];
                    java.util.Arrays.fill(block, (byte) (base + i));
                    all.add(d.write((base + i) * 16L, ByteBuffer.wrap(block)));
                }
            });
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            w.join(10_000);
            assertFalse(w.isAlive(), "submitting thread finished");
        }
        for (CompletableFuture<Integer> f : all) {
            assertEquals(16, await(f));
        }
        ByteBuffer back = ByteBuffer.allocate(threads * perThread * 16);
        assertEquals(back.capacity(), await(d.read(0, back)));
        for (int i = 0; i < threads * perThread; i++) {
            assertEquals((byte) i, back.get(i * 16), "block " + i);
        }
        assertEquals(threads * perThread, d.stats().writes());
    }

    @Test
    void detachDrainsWhatRunsAndFailsWhatWaits() throws Exception {
        BlockFileDevice d = device(dir.resolve("detach.img"), false, 1, 100);
        harness.attach(d);
        // Submit and detach in one home-thread callback: 1 request is running, 49 wait.
        List<CompletableFuture<Integer>> futures = new ArrayList<>();
        List<String> leaks = harness.call(() -> {
            for (int i = 0; i < 50; i++) {
                futures.add(d.write(i * 4096L, ByteBuffer.wrap(new byte[4096])));
            }
            return harness.detach(d);
        });
        assertEquals(List.of(), leaks, "the running request was drained, not left behind");
        int closed = 0;
        for (CompletableFuture<Integer> f : futures) {
            try {
                assertEquals(4096, await(f));
            } catch (ExecutionException e) {
                assertInstanceOf(ContextClosedException.class, e.getCause());
                closed++;
            }
        }
        assertEquals(49, closed, "with queue depth 1, the one running request completes and 49 waiting fail");
        ExecutionException after = assertThrows(ExecutionException.class, () -> await(d.flush()));
        assertInstanceOf(ContextClosedException.class, after.getCause());
    }

    @Test
    void closingTheHarnessLeavesNoThreadBehind() throws Exception {
        harness.close(); // the one from @BeforeEach: start from a quiet state
        java.util.Set<Thread> before = Thread.getAllStackTraces().keySet();
        try (DeviceHarness h = DeviceHarness.builder().name("threads").build()) {
            BlockFileDevice d = device(dir.resolve("t.img"), false, 8, 100);
            h.attach(d);
            List<CompletableFuture<Integer>> fs = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                fs.add(d.write(i * 512L, ByteBuffer.wrap(new byte[512])));
            }
            for (CompletableFuture<Integer> f : fs) {
                assertEquals(512, await(f));
            }
            assertEquals(List.of(), h.detach(d));
        }
        // pool and loop threads end when the context closes: join each (bounded) and check
        java.util.Set<Thread> extra = new java.util.HashSet<>(Thread.getAllStackTraces().keySet());
        extra.removeAll(before);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (Thread t : extra) {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        extra.removeIf(t -> !t.isAlive());
        assertEquals(java.util.Set.of(), extra, "threads left behind");
        harness = DeviceHarness.builder().name("block-test").build(); // for @AfterEach
    }

    @Test
    void badConfigurationNamesTheKey() {
        assertEquals("queueDepth", assertThrows(InvalidConfigurationException.class,
                () -> new BlockFileDevice("b", dir, false, false, 0, 0, 0)).key());
        assertEquals("path", assertThrows(InvalidConfigurationException.class,
                () -> new BlockFileDevice("b", null, false, false, 0, 1, 0)).key());
        assertEquals("maxWaiting", assertThrows(InvalidConfigurationException.class,
                () -> new BlockFileDevice("b", dir, false, false, 0, 1, -1)).key());
    }
}
