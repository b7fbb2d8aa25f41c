package org.aioloop.plugin.stream;

/**
 * Counters of one {@link StreamServer}.
 *
 * @param accepted     connections accepted and served
 * @param rejected     connections closed at once because {@code maxClients} were connected
 * @param active       clients connected now
 * @param acceptPauses times accepting was paused because the process ran out of fds
 * @param bytesIn      bytes read from all clients
 * @param bytesOut     bytes written to all clients
 */
public record ServerStats(long accepted, long rejected, int active, long acceptPauses, long bytesIn, long bytesOut) {
}
