package org.aioloop.bench.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.aioloop.bench.BenchConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load generator's checks can fail: against deliberately broken echo servers it reports lost
 * and corrupted messages (so S5/S6's "0 lost" is a measurement, not a constant). Uses the same
 * child-process path as the scenarios.
 */
class LoadGeneratorCheckTest {
    private static final long DRAIN_MILLIS = 500;

    @Test
    void aServerThatStopsAnsweringLosesOneMessagePerConnection(@TempDir Path out) throws Exception {
        BenchConfig cfg = BenchConfig.smoke(out);
        try (BrokenEchoServer server = new BrokenEchoServer(5, false)) {
            LoadGeneratorProcess.Outcome o = LoadGeneratorProcess.run(server.port(), cfg, Thread.currentThread(),
                    null, DRAIN_MILLIS);
            assertEquals(cfg.s5Connections(), o.lost());
            assertEquals(0, o.corrupt());
            assertEquals(5L * cfg.s5Connections(), o.total());
        }
    }

    @Test
    void aServerThatAltersBytesIsCaught(@TempDir Path out) throws Exception {
        BenchConfig cfg = BenchConfig.smoke(out);
        try (BrokenEchoServer server = new BrokenEchoServer(Integer.MAX_VALUE, true)) {
            LoadGeneratorProcess.Outcome o = LoadGeneratorProcess.run(server.port(), cfg, Thread.currentThread(),
                    null, DRAIN_MILLIS);
            assertEquals(0, o.lost());
            assertTrue(o.total() > 0);
            assertEquals(o.total(), o.corrupt(), "every echo was altered");
        }
    }

    /** A blocking echo server that answers N messages per connection, optionally altering a byte. */
    private static final class BrokenEchoServer implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();

        BrokenEchoServer(int answers, boolean alter) throws IOException {
            Thread acceptor = new Thread(() -> {
                try {
                    for (;;) {
                        Socket s = server.accept();
                        sockets.add(s);
                        Thread t = new Thread(() -> serve(s, answers, alter), "broken-echo");
                        t.setDaemon(true);
                        t.start();
                    }
                } catch (IOException closed) {
                    // server closed: done
                }
            }, "broken-echo-accept");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        private static void serve(Socket s, int answers, boolean alter) {
            byte[] msg = new byte[64];
            try (DataInputStream in = new DataInputStream(s.getInputStream()); OutputStream o = s.getOutputStream()) {
                for (int n = 0;; n++) {
                    in.readFully(msg);
                    if (n < answers) {
                        if (alter) {
                            msg[63] ^= 1;
                        }
                        o.write(msg);
                    }
                }
            } catch (IOException closed) {
                // client gone
            }
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}
