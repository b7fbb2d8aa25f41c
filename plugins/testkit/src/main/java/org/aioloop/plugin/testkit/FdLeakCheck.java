package org.aioloop.plugin.testkit;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Map;
import java.util.TreeMap;

import org.aioloop.posix.FdCounter;

/**
 * Checks that a test leaves no fd open: takes the set of open fds at the start and compares at the
 * end, naming every new fd ({@code /proc/self/fd} link targets).
 *
 * <p>The JDK opens a few fds lazily, once per JVM, and keeps them for good: the NIO file dispatcher
 * creates a socket pair on first use of a {@link FileChannel} (for asynchronous close), and
 * {@link SecureRandom} opens {@code /dev/random} and {@code /dev/urandom}. {@link #start()} touches
 * these first, so that what it reports afterwards is the code under test.
 */
public final class FdLeakCheck {
    private final Map<Integer, String> before;

    private FdLeakCheck(Map<Integer, String> before) {
        this.before = before;
    }

    /**
     * @return a check whose baseline is the fds open now (after the JDK's lazy ones)
     */
    public static FdLeakCheck start() {
        warmUpJdk();
        return new FdLeakCheck(FdCounter.describeOpenFds());
    }

    private static void warmUpJdk() {
        new SecureRandom().nextInt();
        try {
            Path tmp = Files.createTempFile("aioloop-fdcheck", ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                ch.force(true);
            } finally {
                Files.deleteIfExists(tmp);
            }
            java.nio.channels.SocketChannel.open().close();
        } catch (IOException e) {
            throw new IllegalStateException("cannot warm up the JDK's lazily opened fds", e);
        }
    }

    /**
     * @return the fds open now that were not open at {@link #start()}, with what they are
     */
    public Map<Integer, String> newFds() {
        Map<Integer, String> now = new TreeMap<>(FdCounter.describeOpenFds());
        now.keySet().removeAll(before.keySet());
        return now;
    }

    /**
     * Fails if new fds stay open. Other JVM threads open fds of their own for a moment (the JDK's
     * container support reads cgroup files, a test runner writes its reports), so a new fd must
     * still be open after a bounded grace period to count as a leak.
     *
     * @throws AssertionError naming the new fds, if any stay open for {@link #GRACE}
     */
    public void assertNoLeak() {
        long deadline = System.nanoTime() + GRACE.toNanos();
        Map<Integer, String> leaked = newFds();
        while (!leaked.isEmpty() && System.nanoTime() < deadline) {
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000L);
            leaked = newFds();
        }
        if (!leaked.isEmpty()) {
            throw new AssertionError("fds leaked: " + leaked);
        }
    }

    /** How long a new fd may take to close before it counts as a leak. */
    public static final java.time.Duration GRACE = java.time.Duration.ofSeconds(2);
}
