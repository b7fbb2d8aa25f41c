package org.aioloop.posix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.TreeMap;
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
