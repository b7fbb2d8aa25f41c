package org.aioloop.posix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Counts this process's open fds from {@code /proc/self/fd}, for leak checks in tests: take
 * {@link #openFds()} before and after, they must be equal. Each count includes the one directory
 * fd used to list {@code /proc/self/fd}, so two counts are comparable.
 *
 * <p>Loading this class loads the native library first: JNA keeps a few fds open for good once it
 * has loaded ({@code /dev/random}, {@code /dev/urandom}, its libffi scratch file), and those must
 * not show up as a leak between a baseline taken before the first native call and a count after.
 */
public final class FdCounter {
    private static final Path PROC_SELF_FD = Paths.get("/proc/self/fd");

    static {
        Posix.isOpen(0);
    }

    private FdCounter() {
    }

    /**
     * @return the number of entries in {@code /proc/self/fd}
     */
    public static int openFds() {
        try (Stream<Path> fds = Files.list(PROC_SELF_FD)) {
            return (int) fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + PROC_SELF_FD, e);
        }
    }

    /**
     * Counts open fds until the count equals {@code expected} or {@code timeout} passes. Other
     * threads of the JVM (a test runner's reporter, class loading) open and close fds of their own
     * at any time, so one count can be off by a transient fd; a leak stays.
     *
     * @param expected the count to wait for, e.g. a baseline taken before the test
     * @param timeout  how long to keep counting
     * @return the last count: {@code expected} unless the timeout passed
     */
    public static int awaitOpenFds(int expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int count = openFds();
        while (count != expected && System.nanoTime() < deadline) {
            LockSupport.parkNanos(1_000_000L);
            count = openFds();
        }
        return count;
    }

    /**
     * Counts open fds until the count is at most {@code limit} or {@code timeout} passes: the leak
     * check. A leak is an fd that stays open; a JVM thread's transient fd that was open when the
     * baseline was taken and closed since makes the count lower, which is no leak.
     *
     * @param limit   the most fds that may be open (the baseline)
     * @param timeout how long transient fds may take to close
     * @return the last count
     */
    public static int awaitAtMost(int limit, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int count = openFds();
        while (count > limit && System.nanoTime() < deadline) {
            LockSupport.parkNanos(1_000_000L);
            count = openFds();
        }
        return count;
    }

    /**
     * @return every open fd with what it points at ({@code readlink}), for leak reports
     */
    public static Map<Integer, String> describeOpenFds() {
        Map<Integer, String> out = new TreeMap<>();
        try (Stream<Path> fds = Files.list(PROC_SELF_FD)) {
            fds.forEach(p -> {
                String target;
                try {
                    target = Files.readSymbolicLink(p).toString();
                } catch (IOException e) {
                    target = "?";
                }
                out.put(Integer.parseInt(p.getFileName().toString()), target);
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + PROC_SELF_FD, e);
        }
        return out;
    }
}
