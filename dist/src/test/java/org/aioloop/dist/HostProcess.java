package org.aioloop.dist;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A {@code bin/aioloop} process under test: stdout and stderr are collected line by line by two
 * reader threads, and every wait is bounded (a hung host fails the test, it never hangs it).
 */
final class HostProcess implements AutoCloseable {
    private final Process process;
    private final Lines out;
    private final Lines err;
    private final Writer stdin;

    private HostProcess(Process process) {
        this.process = process;
        this.out = new Lines(process.getInputStream(), "stdout");
        this.err = new Lines(process.getErrorStream(), "stderr");
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    /** Starts {@code home/bin/aioloop args...} with this JVM's java and stdin as a pipe. */
    static HostProcess start(Path home, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin/aioloop").toString());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("JAVA_OPTS");
        return new HostProcess(pb.start());
    }

    void send(String line) throws IOException {
        stdin.write(line + "\n");
        stdin.flush();
    }

    long pid() {
        return process.pid();
    }

    void closeStdin() throws IOException {
        stdin.close();
    }

    /**
     * Sends SIGTERM. Through the {@link ProcessHandle}: {@link Process#destroy()} would also close
     * our ends of the pipes and lose what the host prints while it stops.
     */
    void terminate() {
        process.toHandle().destroy();
    }

    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the host did not exit within " + timeout + "\nstdout: " + out.all()
                    + "\nstderr: " + err.all());
        }
        out.join();
        err.join();
        return process.exitValue();
    }

    String awaitStdout(Predicate<String> line, Duration timeout) throws InterruptedException {
        return out.await(line, timeout, this);
    }

    String awaitStderr(Predicate<String> line, Duration timeout) throws InterruptedException {
        return err.await(line, timeout, this);
    }

    List<String> stdout() {
        return out.all();
    }

    List<String> stderr() {
        return err.all();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }

    /** One stream's lines, appended by a reader thread; waiters are woken per line. */
    private static final class Lines {
        private final List<String> lines = new ArrayList<>();
        private final Thread reader;
        private boolean ended;

        Lines(InputStream in, String name) {
            reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        synchronized (this) {
                            lines.add(line);
                            notifyAll();
                        }
                    }
                } catch (IOException e) {
                    // the process went away
                } finally {
                    synchronized (this) {
                        ended = true;
                        notifyAll();
                    }
                }
            }, "host-" + name);
            reader.setDaemon(true);
            reader.start();
        }

        synchronized String await(Predicate<String> match, Duration timeout, HostProcess host)
                throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            int seen = 0;
            while (true) {
                for (; seen < lines.size(); seen++) {
                    if (match.test(lines.get(seen))) {
                        return lines.get(seen);
                    }
                }
                long left = deadline - System.nanoTime();
                if (ended || left <= 0) {
                    throw new AssertionError((ended ? "stream ended" : "timed out after " + timeout)
                            + " without the expected line\nstdout: " + host.stdout() + "\nstderr: " + host.stderr());
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }

        synchronized List<String> all() {
            return new ArrayList<>(lines);
        }

        void join() throws InterruptedException {
            reader.join(TimeUnit.SECONDS.toMillis(5));
        }
    }
}
