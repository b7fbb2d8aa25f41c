package org.aioloop.plugin.stream;

import org.aioloop.api.InvalidConfigurationException;

/**
 * The bounds of a {@link StreamServer}.
 *
 * @param maxClients  the most clients connected at once; more are accepted, told, and closed
 * @param readChunk   the input buffer per client: the most bytes one read takes
 * @param outputLimit the output buffer per client: when it is full, the client is not read from
 *                    until the peer has taken some output (backpressure)
 * @param backlog     the listen backlog
 */
public record ServerLimits(int maxClients, int readChunk, int outputLimit, int backlog) {
    /** 16 clients, 4 KiB reads, 64 KiB output each, backlog 64. */
    public static final ServerLimits DEFAULT = new ServerLimits(16, 4096, 65536, 64);

    /**
     * @throws InvalidConfigurationException naming the bad key
     */
    public ServerLimits {
        if (maxClients < 1 || maxClients > 65536) {
            throw new InvalidConfigurationException("maxClients", maxClients, "must be 1..65536");
        }
        if (readChunk < 64 || readChunk > (1 << 24)) {
            throw new InvalidConfigurationException("readBufferBytes", readChunk, "must be 64..16777216");
        }
        if (outputLimit < 64 || outputLimit > (1 << 26)) {
            throw new InvalidConfigurationException("outputLimitBytes", outputLimit, "must be 64..67108864");
        }
        if (backlog < 1) {
            throw new InvalidConfigurationException("backlog", backlog, "must be >= 1");
        }
    }
}
