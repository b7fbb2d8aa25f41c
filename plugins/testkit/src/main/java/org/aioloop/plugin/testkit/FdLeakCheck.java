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
     * @throws AssertionError naming the new fds, if any
     */
    public void assertNoLeak() {
        Map<Integer, String> leaked = newFds();
        if (!leaked.isEmpty()) {
            throw new AssertionError("fds leaked: " + leaked);
        }
    }
}
