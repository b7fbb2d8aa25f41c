package org.aioloop.plugin.block;

/**
 * Counters of one block device since it was attached.
 *
 * @param reads        read requests completed successfully
 * @param writes       write requests completed successfully
 * @param flushes      flushes completed successfully
 * @param bytesRead    bytes read
 * @param bytesWritten bytes written
 * @param errors       requests that failed (I/O errors, a read-only device)
 * @param rejected     requests refused because the queue was full
 * @param inFlight     requests running on the pool now
 * @param maxInFlight  the most requests that ran at once
 * @param queued       requests waiting for a free slot now
 */
public record BlockStats(long reads, long writes, long flushes, long bytesRead, long bytesWritten,
        long errors, long rejected, int inFlight, int maxInFlight, int queued) {
}
