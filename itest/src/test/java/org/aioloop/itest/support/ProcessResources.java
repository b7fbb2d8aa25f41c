package org.aioloop.itest.support;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A snapshot of what the JVM holds that a bundle can leak: open file descriptors
 * ({@code /proc/self/fd}, with their targets) and live threads. Comparing a snapshot with a
 * baseline names what appeared: {@code "fd 57 -> pipe:[8812]"}, {@code "thread itest-worker-12"}.
 */
public final class ProcessResources {
    private static final Path FD_DIR = Path.of("/proc/self/fd");
    private static final Pattern CACHE_JAR = Pattern.compile("/bundle\\d+/version\\d+\\.\\d+/");

    private final Map<String, Integer> fds;
    private final Map<Long, String> threads;

    private ProcessResources(Map<String, Integer> fds, Map<Long, String> threads) {
        this.fds = fds;
        this.threads = threads;
    }

    /**
     * @return the current fds and threads
     */
    public static ProcessResources snapshot() {
        Map<String, Integer> fds = new HashMap<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(FD_DIR)) {
            for (Path fd : dir) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    continue; // closed while listing (the listing's own fd, for one)
                }
                if (!target.startsWith("/proc/")) {
                    fds.merge(normalize(target), 1, Integer::sum);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + FD_DIR + " (Linux only)", e);
        }
        Map<Long, String> threads = new HashMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.isAlive()) {
                threads.put(t.getId(), t.getName());
            }
        }
        return new ProcessResources(fds, threads);
    }

    /**
     * A bundle's jar in the Felix cache lives under its bundle id ({@code bundle33/version0.0/bundle.jar}):
     * a reinstalled bundle holds the same kind of fd under a new path, which is no leak.
     */
    private static String normalize(String target) {
        return CACHE_JAR.matcher(target).replaceAll("/bundle*/version*/");
    }

    /**
     * @param baseline an earlier snapshot
     * @return what this snapshot holds beyond {@code baseline}: one entry per extra fd target and
     *         per new thread; empty when nothing leaked
     */
    public List<String> beyond(ProcessResources baseline) {
        List<String> extra = new ArrayList<>();
        for (Map.Entry<String, Integer> e : fds.entrySet()) {
            int more = e.getValue() - baseline.fds.getOrDefault(e.getKey(), 0);
            if (more > 0) {
                extra.add(more + " fd(s) -> " + e.getKey());
            }
        }
        for (Map.Entry<Long, String> e : threads.entrySet()) {
            if (!baseline.threads.containsKey(e.getKey())) {
                extra.add("thread '" + e.getValue() + "'");
            }
        }
        return extra;
    }

    /** @return the number of open fds (not counting /proc entries) */
    public int fdCount() {
        return fds.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** @return the number of live threads */
    public int threadCount() {
        return threads.size();
    }

    /**
     * Waits, bounded, until nothing beyond {@code baseline} is held (a stopped thread may take a
     * moment to die; fds are closed synchronously).
     *
     * @param baseline the snapshot to return to
     * @param timeout  how long to wait
     * @return the leaks still present after the timeout; empty when none
     */
    public static List<String> awaitBack(ProcessResources baseline, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> extra = snapshot().beyond(baseline);
        while (!extra.isEmpty() && System.nanoTime() < deadline) {
            // Polled, not slept-for-success: the check ends as soon as the state is back.
            TimeUnit.MILLISECONDS.sleep(20);
            extra = snapshot().beyond(baseline);
        }
        return extra;
    }
}
