package org.aioloop.plugin.block;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * One read, write or flush request: what to do and whom to tell.
 */
final class BlockRequest {
    enum Kind { READ, WRITE, FLUSH }

    final Kind kind;
    final long offset;
    final ByteBuffer buffer;
    final CompletableFuture<Integer> result = new CompletableFuture<>();

    BlockRequest(Kind kind, long offset, ByteBuffer buffer) {
        this.kind = kind;
        this.offset = offset;
        this.buffer = buffer;
    }
}
