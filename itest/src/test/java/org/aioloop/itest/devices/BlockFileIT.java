package org.aioloop.itest.devices;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.aioloop.api.PollParams;
import org.aioloop.api.device.DeviceHandler;
import org.aioloop.api.device.DeviceInfo;
import org.aioloop.api.device.DeviceState;
import org.aioloop.api.host.LoopHost;
import org.aioloop.itest.support.ProcessResources;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * The file-backed block device (plugins/block-file) in Felix, one device per factory configuration
 * of {@code org.aioloop.block}, on an IOThread the test starts (so its pool threads are the
 * IOThread's and end with it): writes, flush and reads round-trip with the data checked both through
 * the device and on disk; a read-only device refuses writes; a missing file and an unwritable path
 * (a directory) fail their device with the path named while the others serve on; a burst beyond the
 * queue is refused cleanly and exactly what was accepted is on disk. Removing the bundle and the
 * IOThread leaves no fd (the files are closed) and no thread.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BlockFileIT extends DeviceTestSupport {
    private static final String FACTORY_PID = "org.aioloop.block";
    private static final String BUNDLE = "plugin-block-file";
    private static final String IO = "io-block";
    private static final int BLOCK = 4096;
    private static final int BLOCKS = 64;
    private static final int DISK_BYTES = 1 << 20;
    private static final Class<?>[] OFFSET_BUFFER = {long.class, ByteBuffer.class};

    @Configuration
    public Option[] config() {
        return withDeviceLibraries();
    }

    @After
    public void cleanUp() throws IOException {
        deleteTempDirs();
    }

    @Test
    public void readWriteFlushRoundTripAndBadFilesFailOnlyTheirDevice() throws Exception {
        LoopHost host = host();
        ProcessResources baseline = baseline();
        host.addIOThread(IO, PollParams.DEFAULT, 0, 4);
        Path dir = tempDir();
        Path disk = dir.resolve("disk.img");
        List<org.osgi.service.cm.Configuration> cfgs = new ArrayList<>();
        Bundle b = null;
        try {
            cfgs.add(factoryConfiguration(FACTORY_PID, "aioloop.device", "disk-it", "aioloop.context", IO,
                    "path", disk.toString(), "create", true, "sizeBytes", (long) DISK_BYTES, "queueDepth", 4));
            b = installDevice(BUNDLE);
            DeviceInfo info = awaitDevice("disk-it", DeviceState.ATTACHED);
            assertEquals(IO, info.context());
            assertEquals("created and sized at attach", DISK_BYTES, Files.size(disk));
            DeviceHandler dev = deviceService("disk-it");

            byte[] data = new byte[BLOCKS * BLOCK];
            new Random(42).nextBytes(data);
            List<CompletableFuture<?>> writes = new ArrayList<>();
            for (int i = 0; i < BLOCKS; i++) {
                writes.add(write(dev, (long) i * BLOCK, ByteBuffer.wrap(data, i * BLOCK, BLOCK).slice()));
            }
            for (CompletableFuture<?> w : writes) {
                assertEquals(BLOCK, get(w));
            }
            assertEquals(0, get(flush(dev)));
            byte[] onDisk = Files.readAllBytes(disk);
            assertArrayEquals("the file holds what was written", data, Arrays.copyOf(onDisk, data.length));

            List<CompletableFuture<?>> reads = new ArrayList<>();
            List<ByteBuffer> buffers = new ArrayList<>();
            for (int i = 0; i < BLOCKS; i++) {
                ByteBuffer dst = ByteBuffer.allocate(BLOCK);
                buffers.add(dst);
                reads.add(read(dev, (long) i * BLOCK, dst));
            }
            for (int i = 0; i < BLOCKS; i++) {
                assertEquals(BLOCK, get(reads.get(i)));
                assertArrayEquals("block " + i, Arrays.copyOfRange(data, i * BLOCK, (i + 1) * BLOCK),
                        buffers.get(i).array());
            }
            assertEquals("a short read at the end of the file", 100,
                    get(read(dev, DISK_BYTES - 100, ByteBuffer.allocate(BLOCK))));
            assertFailed(read(dev, -1, ByteBuffer.allocate(1)), "BlockRequestException", "negative offset");

            Object stats = call(dev, "stats");
            assertEquals(stats.toString(), (long) BLOCKS, callLong(stats, "writes"));
            assertEquals(stats.toString(), BLOCKS + 1L, callLong(stats, "reads"));
            assertEquals(stats.toString(), 1L, callLong(stats, "flushes"));
            assertEquals(stats.toString(), (long) BLOCKS * BLOCK, callLong(stats, "bytesWritten"));
            assertEquals(stats.toString(), 1L, callLong(stats, "errors"));
            long maxInFlight = callLong(stats, "maxInFlight");
            assertTrue("queue depth 4 respected: " + stats, maxInFlight >= 1 && maxInFlight <= 4);

            // More devices from more configurations of the same bundle: a read-only view of the same
            // file, a missing file, and a path that cannot be opened for writing (a directory).
            cfgs.add(factoryConfiguration(FACTORY_PID, "aioloop.device", "ro-it", "aioloop.context", IO,
                    "path", disk.toString(), "readOnly", true));
            Path missing = dir.resolve("missing.img");
            cfgs.add(factoryConfiguration(FACTORY_PID, "aioloop.device", "missing-it", "aioloop.context", IO,
                    "path", missing.toString()));
            Path unwritable = Files.createDirectory(dir.resolve("not-a-file"));
            cfgs.add(factoryConfiguration(FACTORY_PID, "aioloop.device", "dir-it", "aioloop.context", IO,
                    "path", unwritable.toString()));
            DeviceInfo failed = awaitDevice("missing-it", DeviceState.FAILED);
            assertTrue(failed.failure(), failed.failure().contains(missing.toString())
                    && failed.failure().contains("does not exist"));
            failed = awaitDevice("dir-it", DeviceState.FAILED);
            assertTrue(failed.failure(), failed.failure().contains(unwritable.toString()));
            awaitDevice("ro-it", DeviceState.ATTACHED);
            DeviceHandler ro = deviceService("ro-it");
            assertFailed(write(ro, 0, ByteBuffer.allocate(16)), "BlockRequestException", "read-only");
            ByteBuffer first = ByteBuffer.allocate(BLOCK);
            assertEquals(BLOCK, get(read(ro, 0, first)));
            assertArrayEquals(Arrays.copyOf(data, BLOCK), first.array());
            assertEquals("the first device serves on", DeviceState.ATTACHED, device(host, "disk-it").state());
            assertEquals(BLOCK, get(read(dev, BLOCK, ByteBuffer.allocate(BLOCK))));

            removeDevice(b, "disk-it", "ro-it");
            b = null;
        } finally {
            if (b != null) {
                b.uninstall();
            }
            deleteQuietly(cfgs.toArray(new org.osgi.service.cm.Configuration[0]));
            host.removeIOThread(IO);
        }
        assertNothingLeft(baseline);
    }

    @Test
    public void aBurstBeyondTheQueueIsRefusedCleanlyAndWhatWasAcceptedIsOnDisk() throws Exception {
        LoopHost host = host();
        ProcessResources baseline = baseline();
        host.addIOThread(IO, PollParams.DEFAULT, 0, 2);
        Path disk = tempDir().resolve("burst.img");
        org.osgi.service.cm.Configuration cfg = null;
        Bundle b = null;
        try {
            cfg = factoryConfiguration(FACTORY_PID, "aioloop.device", "burst-it", "aioloop.context", IO,
                    "path", disk.toString(), "create", true, "queueDepth", 1, "maxWaiting", 2);
            b = installDevice(BUNDLE);
            awaitDevice("burst-it", DeviceState.ATTACHED);
            DeviceHandler dev = deviceService("burst-it");

            int n = 200;
            int size = 16 * 1024;
            List<CompletableFuture<?>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                byte[] block = new byte[size];
                Arrays.fill(block, (byte) (i + 1));
                results.add(write(dev, (long) i * size, ByteBuffer.wrap(block)));
            }
            List<Integer> accepted = new ArrayList<>();
            int refused = 0;
            for (int i = 0; i < n; i++) {
                try {
                    assertEquals(size, get(results.get(i)));
                    accepted.add(i);
                } catch (ExecutionException e) {
                    assertEquals("write " + i + ": " + e.getCause(), "BlockQueueFullException",
                            e.getCause().getClass().getSimpleName());
                    refused++;
                }
            }
            Object stats = call(dev, "stats");
            assertEquals(stats.toString(), accepted.size(), callLong(stats, "writes"));
            assertEquals(stats.toString(), refused, callLong(stats, "rejected"));
            assertEquals("at most the queue depth ran at once: " + stats, 1L, callLong(stats, "maxInFlight"));
            assertTrue("something was written", !accepted.isEmpty());

            assertEquals(0, get(flush(dev)));
            byte[] onDisk = Files.readAllBytes(disk);
            for (int i : accepted) {
                for (int j = 0; j < size; j += 1024) {
                    assertEquals("accepted write " + i + " at +" + j, (byte) (i + 1), onDisk[i * size + j]);
                }
            }
            removeDevice(b, "burst-it");
            b = null;
        } finally {
            if (b != null) {
                b.uninstall();
            }
            deleteQuietly(cfg);
            host.removeIOThread(IO);
        }
        assertNothingLeft(baseline);
    }

    private static CompletableFuture<?> read(Object device, long offset, ByteBuffer dst) {
        return (CompletableFuture<?>) callWith(device, "read", OFFSET_BUFFER, offset, dst);
    }

    private static CompletableFuture<?> write(Object device, long offset, ByteBuffer src) {
        return (CompletableFuture<?>) callWith(device, "write", OFFSET_BUFFER, offset, src);
    }

    private static CompletableFuture<?> flush(Object device) {
        return (CompletableFuture<?>) call(device, "flush");
    }

    private static int get(CompletableFuture<?> f) throws Exception {
        return (Integer) f.get(timeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private static void assertFailed(CompletableFuture<?> f, String exception, String messageContains)
            throws Exception {
        try {
            get(f);
            fail("expected " + exception);
        } catch (ExecutionException e) {
            assertEquals(String.valueOf(e.getCause()), exception, e.getCause().getClass().getSimpleName());
            assertTrue(e.getCause().getMessage(), e.getCause().getMessage().contains(messageContains));
        }
    }
}
