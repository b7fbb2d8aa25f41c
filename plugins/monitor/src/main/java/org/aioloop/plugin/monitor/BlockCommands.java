package org.aioloop.plugin.monitor;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import org.aioloop.plugin.block.BlockFileDevice;
import org.aioloop.plugin.block.BlockStats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The block-device commands ({@code query-block}, {@code block-read}, {@code block-write},
 * {@code block-flush}) over the block-file devices of the host.
 *
 * <p>The block-file bundle is optional for the monitor: this class is the only one that touches
 * its types, and it is loaded only if {@link HostCommands#blockApiAvailable()} says the package is
 * wired.
 */
final class BlockCommands {
    /** The most bytes one {@code block-read} or {@code block-write} moves (base64 in one line). */
    static final int MAX_TRANSFER = 16384;
    private static final String DEVICE_NOT_FOUND = "DeviceNotFound";

    private final Json json;
    private final Supplier<? extends Collection<?>> devices;

    private BlockCommands(Json json, Supplier<? extends Collection<?>> devices) {
        this.json = json;
        this.devices = devices;
    }

    /**
     * Adds the block commands to {@code table}.
     *
     * @param table   the command table
     * @param json    reply building
     * @param devices the block devices now (elements that are not block-file devices are ignored)
     */
    static void register(Map<String, QmpCommand> table, Json json, Supplier<? extends Collection<?>> devices) {
        BlockCommands c = new BlockCommands(json, devices);
        table.put("query-block", c::queryBlock);
        table.put("block-read", c::read);
        table.put("block-write", c::write);
        table.put("block-flush", c::flush);
    }

    private BlockFileDevice find(String name) {
        for (Object o : devices.get()) {
            if (o instanceof BlockFileDevice && ((BlockFileDevice) o).name().equals(name)) {
                return (BlockFileDevice) o;
            }
        }
        throw new QmpError(DEVICE_NOT_FOUND, "Block device '" + Json.printable(name) + "' not found");
    }

    private CompletionStage<JsonNode> queryBlock(ObjectNode args) {
        Args.of(args, Set.of());
        ArrayNode list = json.array();
        for (Object o : devices.get()) {
            if (!(o instanceof BlockFileDevice)) {
                continue;
            }
            BlockFileDevice d = (BlockFileDevice) o;
            BlockStats s = d.stats();
            ObjectNode e = list.addObject();
            e.put("device", d.name());
            e.put("path", d.path().toString());
            e.put("read-only", d.isReadOnly());
            ObjectNode st = e.putObject("stats");
            st.put("reads", s.reads());
            st.put("writes", s.writes());
            st.put("flushes", s.flushes());
            st.put("bytes-read", s.bytesRead());
            st.put("bytes-written", s.bytesWritten());
            st.put("errors", s.errors());
            st.put("rejected", s.rejected());
            st.put("in-flight", s.inFlight());
            st.put("max-in-flight", s.maxInFlight());
            st.put("queued", s.queued());
        }
        return java.util.concurrent.CompletableFuture.completedFuture(list);
    }

    private CompletionStage<JsonNode> read(ObjectNode args) {
        Args a = Args.of(args, Set.of("device", "offset", "length"));
        BlockFileDevice d = find(a.requireString("device"));
        long offset = a.requireLong("offset", 0, Long.MAX_VALUE);
        int length = (int) a.requireLong("length", 1, MAX_TRANSFER);
        ByteBuffer buffer = ByteBuffer.allocate(length);
        return d.read(offset, buffer).thenApply(n -> {
            ObjectNode r = json.object();
            r.put("bytes", n);
            r.put("data", Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), n)));
            return r;
        });
    }

    private CompletionStage<JsonNode> write(ObjectNode args) {
        Args a = Args.of(args, Set.of("device", "offset", "data"));
        BlockFileDevice d = find(a.requireString("device"));
        long offset = a.requireLong("offset", 0, Long.MAX_VALUE);
        byte[] data;
        try {
            data = Base64.getDecoder().decode(a.requireString("data"));
        } catch (IllegalArgumentException e) {
            throw QmpError.generic("Parameter 'data' is not valid base64");
        }
        if (data.length == 0 || data.length > MAX_TRANSFER) {
            throw QmpError.generic("Parameter 'data' must decode to 1.." + MAX_TRANSFER + " bytes");
        }
        return d.write(offset, ByteBuffer.wrap(data)).thenApply(n -> {
            ObjectNode r = json.object();
            r.put("bytes", n);
            return r;
        });
    }

    private CompletionStage<JsonNode> flush(ObjectNode args) {
        Args a = Args.of(args, Set.of("device"));
        BlockFileDevice d = find(a.requireString("device"));
        return d.flush().thenApply(n -> json.object());
    }
}
