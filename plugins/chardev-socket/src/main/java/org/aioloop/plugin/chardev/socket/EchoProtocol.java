package org.aioloop.plugin.chardev.socket;

import java.nio.ByteBuffer;

import org.aioloop.plugin.stream.StreamClient;
import org.aioloop.plugin.stream.StreamProtocol;

/**
 * Echo mode: every byte a client sends comes back to it. Reads are limited to the free space of the
 * client's output buffer (the default {@link StreamProtocol#readAllowance}), so an echo always fits
 * and a client that does not read its echoes is simply not read from any more: nothing is dropped
 * and nothing grows. No allocation per read.
 */
final class EchoProtocol implements StreamProtocol {
    @Override
    public void onOpen(StreamClient client) {
    }

    @Override
    public void onData(StreamClient client, ByteBuffer data) {
        client.send(data);
    }

    @Override
    public void onClose(StreamClient client, String reason) {
    }
}
