package org.aioloop.dist;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One host per Felix cache. The launcher empties the cache at every start, so a second host on the
 * same directory would delete the bundles of the first one under its feet (Felix 7.0.5 does not
 * stop it). The lock is an OS file lock on {@code <cache>.lock}, held for the life of the JVM and
 * released by the kernel however the process ends; the file names the owner's pid for the message.
 */
final class CacheLock {
    private CacheLock() {
    }

    /**
     * Takes the lock, or fails saying who holds it.
     *
     * @param cache the cache directory
     * @return the open channel; keep it reachable (closing it releases the lock)
     * @throws LaunchException if another host holds the lock, or the lock file cannot be written
     */
    static FileChannel acquire(Path cache) throws LaunchException {
        Path file = cache.resolveSibling(cache.getFileName() + ".lock");
        FileChannel channel = null;
        try {
            Files.createDirectories(file.getParent());
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this very JVM
            }
            if (lock == null) {
                String owner = readOwner(channel);
                channel.close();
                throw new LaunchException("another aioloop host" + (owner.isEmpty() ? "" : " (pid " + owner + ")")
                        + " is running with the cache " + cache + ": stop it, or start this one with --cache DIR");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid())
                    .getBytes(StandardCharsets.US_ASCII)), 0);
            return channel;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new LaunchException("cannot lock the cache " + cache + " (" + file + "): " + e, e);
        }
    }

    private static String readOwner(FileChannel channel) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(32);
        channel.read(buf, 0);
        return new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).trim();
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // already failing; the first error is the one to report
            }
        }
    }
}
