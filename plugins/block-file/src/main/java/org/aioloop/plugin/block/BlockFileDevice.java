package org.aioloop.plugin.block;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.aioloop.api.ClockType;
import org.aioloop.api.ContextClosedException;
import org.aioloop.api.InvalidConfigurationException;
import org.aioloop.api.Timer;
import org.aioloop.api.device.DeviceContext;
import org.aioloop.api.device.DeviceHandler;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * A file-backed block device: asynchronous read, write and flush requests on a file, run on the
 * context's thread pool ({@link DeviceContext#submitBlocking}, QEMU's {@code thread_pool_submit_aio})
 * with their completions delivered on the home thread.
 *
 * <p>Requests may be made from any thread; they hop to the home thread, where the
 * {@link RequestQueue} lets at most {@code queueDepth} run at once and up to {@code maxWaiting}
 * wait. The returned futures complete on the home thread: with the byte count, or exceptionally with
 * a {@link BlockRequestException} (bad arguments, read-only device, I/O error) or a
 * {@link BlockQueueFullException}. A caller must not touch a request's buffer until its future
 * completes. Detaching drains the running requests and fails the waiting ones with
 * {@link ContextClosedException}.
 *
 * <p>Configured by factory PID {@code org.aioloop.block} (one device per file).
 */
public final class BlockFileDevice implements DeviceHandler {
    /** The factory configuration PID. */
    public static final String FACTORY_PID = "org.aioloop.block";
    /** The longest detach waits for running requests. */
    public static final long DRAIN_TIMEOUT_MS = 5000;

    /** The device's configuration (OSGi Metatype). */
    @ObjectClassDefinition(name = "aioloop block-file device", description = "A file-backed block device.")
    public @interface Config {
        /** @return the device name */
        @AttributeDefinition(description = "Device name, unique in the host")
        String aioloop_device() default "block0";

        /** @return the context to attach to */
        @AttributeDefinition(description = "Context to attach to: main, iohandler or an IOThread name")
        String aioloop_context() default "main";

        /** @return the backing file */
        @AttributeDefinition(description = "Path of the backing file")
        String path();

        /** @return whether writes are refused */
        @AttributeDefinition(description = "Open the file read-only and refuse writes")
        boolean readOnly() default false;

        /** @return whether a missing file is created */
        @AttributeDefinition(description = "Create the file if it does not exist")
        boolean create() default false;

        /** @return the size a created or shorter file is extended to */
        @AttributeDefinition(description = "Extend the file to this many bytes at attach if it is shorter; 0 = leave it")
        long sizeBytes() default 0;

        /** @return the queue depth */
        @AttributeDefinition(description = "Requests running at once on the pool (>= 1)")
        int queueDepth() default 16;

        /** @return how many may wait */
        @AttributeDefinition(description = "Requests that may wait for a free slot before new ones are refused (>= 0)")
        int maxWaiting() default 256;
    }

    private final String name;
    private final Path path;
    private final boolean readOnly;
    private final boolean create;
    private final long sizeBytes;
    private final RequestQueue queue;
    private final List<BlockRequest> running = new ArrayList<>(); // home thread only
    private volatile DeviceContext context;
    private volatile FileChannel channel;
    private volatile boolean closing;

    // statistics: written on the home thread only
    private volatile long reads;
    private volatile long writes;
    private volatile long flushes;
    private volatile long bytesRead;
    private volatile long bytesWritten;
    private volatile long errors;
    private volatile long rejected;

    /**
     * @param name       the device name
     * @param path       the backing file
     * @param readOnly   refuse writes
     * @param create     create the file if missing
     * @param sizeBytes  extend the file to this size at attach if shorter; 0 = leave it
     * @param queueDepth requests running at once (&gt;= 1)
     * @param maxWaiting requests that may wait (&gt;= 0)
     * @throws InvalidConfigurationException naming the key of a bad value
     */
    public BlockFileDevice(String name, Path path, boolean readOnly, boolean create, long sizeBytes,
            int queueDepth, int maxWaiting) {
        if (path == null || path.toString().isEmpty()) {
            throw new InvalidConfigurationException("path", path, "must name a file");
        }
        if (queueDepth < 1) {
            throw new InvalidConfigurationException("queueDepth", queueDepth, "must be >= 1");
        }
        if (maxWaiting < 0) {
            throw new InvalidConfigurationException("maxWaiting", maxWaiting, "must be >= 0");
        }
        if (sizeBytes < 0) {
            throw new InvalidConfigurationException("sizeBytes", sizeBytes, "must be >= 0");
        }
        this.name = name;
        this.path = path;
        this.readOnly = readOnly;
        this.create = create;
        this.sizeBytes = sizeBytes;
        this.queue = new RequestQueue(name, queueDepth, maxWaiting);
    }

    /**
     * From a configuration: the OSGi component builds the device with this constructor.
     *
     * @param c the configuration
     */
    public BlockFileDevice(Config c) {
        this(c.aioloop_device(), c.path() == null ? null : Path.of(c.path()), c.readOnly(), c.create(),
                c.sizeBytes(), c.queueDepth(), c.maxWaiting());
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * Opens the backing file.
     *
     * @throws BlockRequestException naming the device and the file if it cannot be opened as asked
     */
    @Override
    public void attach(DeviceContext ctx) {
        Set<StandardOpenOption> options = EnumSet.of(StandardOpenOption.READ);
        if (!readOnly) {
            options.add(StandardOpenOption.WRITE);
            if (create) {
                options.add(StandardOpenOption.CREATE);
            }
        }
        String how = readOnly ? "reading" : "reading and writing";
        FileChannel ch;
        try {
            ch = FileChannel.open(path, options);
        } catch (NoSuchFileException e) {
            throw new BlockRequestException(prefix() + "file '" + path + "' does not exist"
                    + (readOnly ? "" : " (set create=true to create it)"), e);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            throw new BlockRequestException(prefix() + "cannot open '" + path + "' for " + how + ": " + e, e);
        }
        try {
            if (sizeBytes > 0 && !readOnly && ch.size() < sizeBytes) {
                ch.write(ByteBuffer.allocate(1), sizeBytes - 1); // extends the file (sparse where possible)
            }
        } catch (IOException e) {
            closeQuietly(ch);
            throw new BlockRequestException(prefix() + "cannot extend '" + path + "' to " + sizeBytes + " bytes: " + e, e);
        }
        channel = ch;
        closing = false;
        context = ctx;
    }

    /**
     * Fails the waiting requests with {@link ContextClosedException}, drains the running ones (as
     * QEMU's {@code bdrv_drain}: nested polls of the context until they complete, at most
     * {@value #DRAIN_TIMEOUT_MS} ms), then closes the file. A request still running after that is
     * failed too; its pool thread finishes on a closed file.
     */
    @Override
    public void detach(DeviceContext ctx) {
        closing = true;
        ContextClosedException closed = new ContextClosedException("block device '" + name + "'");
        for (BlockRequest r = queue.drainOne(); r != null; r = queue.drainOne()) {
            r.result.completeExceptionally(closed);
        }
        drain(ctx);
        for (BlockRequest r : running) {
            r.result.completeExceptionally(closed);
        }
        running.clear();
        context = null;
        FileChannel ch = channel;
        channel = null;
        if (ch != null) {
            closeQuietly(ch);
        }
    }

    private void drain(DeviceContext ctx) {
        if (running.isEmpty() || ctx.isClosed() || !ctx.inHomeThread()) {
            return;
        }
        // The timer only bounds the nested blocking polls: its expiry wakes the last one.
        Timer deadline = ctx.newTimer(ClockType.REALTIME, name + " drain-deadline", () -> { });
        try {
            long end = ctx.clocks().nanos(ClockType.REALTIME) + TimeUnit.MILLISECONDS.toNanos(DRAIN_TIMEOUT_MS);
            deadline.modNanos(end);
            while (!running.isEmpty() && ctx.clocks().nanos(ClockType.REALTIME) < end) {
                ctx.poll(true);
            }
        } catch (ContextClosedException e) {
            // the context is going away under us: fail what is left
        } finally {
            deadline.close();
        }
    }

    /**
     * Reads into {@code dst} from {@code offset} until {@code dst} is full or the file ends.
     *
     * @param offset the file offset (&gt;= 0)
     * @param dst    where to read to; untouched by the caller until completion
     * @return completes on the home thread with the bytes read (fewer at the end of the file)
     */
    public CompletableFuture<Integer> read(long offset, ByteBuffer dst) {
        return submit(BlockRequest.Kind.READ, offset, dst);
    }

    /**
     * Writes all of {@code src} at {@code offset}.
     *
     * @param offset the file offset (&gt;= 0)
     * @param src    what to write; untouched by the caller until completion
     * @return completes on the home thread with the bytes written
     */
    public CompletableFuture<Integer> write(long offset, ByteBuffer src) {
        return submit(BlockRequest.Kind.WRITE, offset, src);
    }

    /**
     * Forces written data and metadata to the disk ({@code fsync}).
     *
     * @return completes on the home thread with 0
     */
    public CompletableFuture<Integer> flush() {
        return submit(BlockRequest.Kind.FLUSH, 0, null);
    }

    private CompletableFuture<Integer> submit(BlockRequest.Kind kind, long offset, ByteBuffer buffer) {
        BlockRequest request = new BlockRequest(kind, offset, buffer);
        if (kind != BlockRequest.Kind.FLUSH) {
            if (offset < 0) {
                return refuse(request, prefix() + kind.name().toLowerCase() + " at negative offset " + offset);
            }
            if (buffer == null) {
                return refuse(request, prefix() + kind.name().toLowerCase() + " without a buffer");
            }
        }
        if (kind == BlockRequest.Kind.WRITE && readOnly) {
            return refuse(request, prefix() + "is read-only ('" + path + "')");
        }
        DeviceContext ctx = context;
        if (ctx == null || closing) {
            request.result.completeExceptionally(new ContextClosedException("block device '" + name + "'"));
            return request.result;
        }
        if (ctx.inHomeThread()) {
            enqueue(request);
        } else {
            try {
                ctx.execute(() -> enqueue(request));
            } catch (ContextClosedException e) {
                request.result.completeExceptionally(e);
            }
        }
        return request.result;
    }

    private CompletableFuture<Integer> refuse(BlockRequest request, String why) {
        // counted on the home thread would need a hop; a refused argument is counted where it happens
        synchronized (this) {
            errors++;
        }
        request.result.completeExceptionally(new BlockRequestException(why));
        return request.result;
    }

    private void enqueue(BlockRequest request) {
        if (context == null || closing) {
            request.result.completeExceptionally(new ContextClosedException("block device '" + name + "'"));
            return;
        }
        try {
            queue.offer(request, this::start);
        } catch (BlockQueueFullException e) {
            rejected++;
            request.result.completeExceptionally(e);
        }
    }

    private void start(BlockRequest request) {
        FileChannel ch = channel;
        running.add(request);
        context.submitBlocking(() -> perform(ch, request))
                .whenComplete((bytes, error) -> finish(request, bytes, error));
    }

    // Runs on a pool thread: the only place that blocks.
    private static int perform(FileChannel ch, BlockRequest r) throws IOException {
        switch (r.kind) {
        case READ: {
            int total = 0;
            while (r.buffer.hasRemaining()) {
                int n = ch.read(r.buffer, r.offset + total);
                if (n < 0) {
                    break; // end of file: a short read
                }
                total += n;
            }
            return total;
        }
        case WRITE: {
            int total = 0;
            while (r.buffer.hasRemaining()) {
                total += ch.write(r.buffer, r.offset + total);
            }
            return total;
        }
        default:
            ch.force(true);
            return 0;
        }
    }

    // Home thread: account, start the next waiting request, tell the caller.
    private void finish(BlockRequest r, Integer bytes, Throwable error) {
        if (!running.remove(r)) {
            return; // already failed by detach
        }
        if (error != null) {
            synchronized (this) {
                errors++;
            }
        } else {
            switch (r.kind) {
            case READ:
                reads++;
                bytesRead += bytes;
                break;
            case WRITE:
                writes++;
                bytesWritten += bytes;
                break;
            default:
                flushes++;
            }
        }
        queue.done(this::start);
        if (error != null) {
            Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            r.result.completeExceptionally(new BlockRequestException(prefix() + r.kind.name().toLowerCase()
                    + " at offset " + r.offset + " of '" + path + "' failed: " + cause, cause));
        } else {
            r.result.complete(bytes);
        }
    }

    /**
     * @return the device's counters (any thread)
     */
    public BlockStats stats() {
        return new BlockStats(reads, writes, flushes, bytesRead, bytesWritten, errors, rejected,
                queue.inFlight(), queue.maxInFlight(), queue.waiting());
    }

    /**
     * @return the backing file
     */
    public Path path() {
        return path;
    }

    /**
     * @return whether writes are refused
     */
    public boolean isReadOnly() {
        return readOnly;
    }

    private String prefix() {
        return "block device '" + name + "': ";
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // nothing left to do with a file we are giving up
        }
    }
}
