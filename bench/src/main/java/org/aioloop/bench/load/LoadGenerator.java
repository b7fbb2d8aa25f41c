package org.aioloop.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;

import org.HdrHistogram.Histogram;

/**
 * The S5/S6 load generator, run as a separate process (the same one for every peer): C connections
 * to 127.0.0.1:port, each doing synchronous ping-pong of one B-byte message at a time, driven by
 * one selector thread. Each message carries its connection and sequence number, and the echo is
 * checked byte for byte.
 *
 * <p>Protocol on stdout, one line each: {@code READY} when connected, {@code MEASURE} when the
 * warm-up ends, {@code STOP} when measuring ends, then {@code RESULT key=value ...} and
 * {@code HIST base64} (the measured latencies in nanoseconds, HdrHistogram's compressed encoding). After STOP no
 * new message is sent; a message whose echo has not arrived within the drain time counts as lost.
 * The process always exits by itself.
 *
 * <p>Usage: {@code LoadGenerator port connections bytes warmupMillis measureMillis drainMillis}.
 */
public final class LoadGenerator {
    private final Conn[] conns;
    private final Selector selector;
    private final Histogram latency = new Histogram(1, 600_000_000_000L, 3);
    private boolean measuring;
    private boolean stopping;
    private long measured;
    private long total;
    private long corrupt;
    private long closedWithPending;

    private LoadGenerator(int port, int connections, int bytes) throws IOException {
        selector = Selector.open();
        conns = new Conn[connections];
        for (int i = 0; i < connections; i++) {
            SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.configureBlocking(false);
            conns[i] = new Conn(i, ch, bytes);
            ch.register(selector, SelectionKey.OP_READ, conns[i]);
        }
    }

    /**
     * @param args port, connections, bytes, warm-up ms, measure ms, drain ms
     * @throws IOException if connecting or the selector fails
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 6) {
            System.err.println("usage: LoadGenerator port connections bytes warmupMillis measureMillis drainMillis");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        int connections = Integer.parseInt(args[1]);
        int bytes = Integer.parseInt(args[2]);
        if (bytes < 16) {
            throw new IllegalArgumentException("bytes must be >= 16 (connection and sequence number): " + bytes);
        }
        long warmup = Long.parseLong(args[3]);
        long measure = Long.parseLong(args[4]);
        long drain = Long.parseLong(args[5]);
        LoadGenerator g = new LoadGenerator(port, connections, bytes);
        System.out.println("READY");
        System.out.flush();
        g.run(warmup, measure, drain);
        System.exit(0);
    }

    private void run(long warmupMillis, long measureMillis, long drainMillis) throws IOException {
        long start = System.nanoTime();
        long measureAt = start + warmupMillis * 1_000_000;
        long stopAt = measureAt + measureMillis * 1_000_000;
        long drainUntil = stopAt + drainMillis * 1_000_000;
        for (Conn c : conns) {
            c.send(System.nanoTime());
        }
        for (;;) {
            long now = System.nanoTime();
            if (!measuring && !stopping && now - measureAt >= 0) {
                measuring = true;
                System.out.println("MEASURE");
                System.out.flush();
            }
            if (!stopping && now - stopAt >= 0) {
                measuring = false;
                stopping = true;
                System.out.println("STOP");
                System.out.flush();
            }
            if (stopping && (pending() == 0 || now - drainUntil >= 0)) {
                break;
            }
            long next = stopping ? drainUntil : (measuring ? stopAt : measureAt);
            long waitMillis = Math.max(1, (next - now) / 1_000_000);
            selector.select(this::onReadable, Math.min(waitMillis, 100));
        }
        long lost = pending() + closedWithPending;
        System.out.println(String.format(Locale.ROOT,
                "RESULT measured=%d total=%d p50=%d p99=%d max=%d lost=%d corrupt=%d",
                measured, total, latency.getValueAtPercentile(50), latency.getValueAtPercentile(99),
                latency.getMaxValue(), lost, corrupt));
        ByteBuffer encoded = ByteBuffer.allocate(latency.getNeededByteBufferCapacity());
        int len = latency.encodeIntoCompressedByteBuffer(encoded);
        System.out.println("HIST " + Base64.getEncoder().encodeToString(Arrays.copyOf(encoded.array(), len)));
        System.out.flush();
        for (Conn c : conns) {
            c.ch.close();
        }
    }

    private int pending() {
        int n = 0;
        for (Conn c : conns) {
            if (c.waiting && c.ch.isOpen()) {
                n++;
            }
        }
        return n;
    }

    private void onReadable(SelectionKey key) {
        Conn c = (Conn) key.attachment();
        try {
            int n = c.ch.read(c.in);
            if (n < 0) {
                if (c.waiting) {
                    closedWithPending++;
                    c.waiting = false;
                }
                key.cancel();
                c.ch.close();
                return;
            }
            if (c.in.hasRemaining()) {
                return;
            }
            long now = System.nanoTime();
            c.in.flip();
            if (!c.in.equals(c.out.duplicate().clear())) {
                corrupt++;
            }
            c.in.clear();
            c.waiting = false;
            total++;
            if (measuring) {
                measured++;
                latency.recordValue(now - c.sentAt);
            }
            if (!stopping) {
                c.send(now);
            }
        } catch (IOException e) {
            if (c.waiting) {
                closedWithPending++;
                c.waiting = false;
            }
            key.cancel();
            try {
                c.ch.close();
            } catch (IOException ignored) {
                // already failing
            }
        }
    }

    /** One connection: its channel, the message in flight and the echo being read. */
    private static final class Conn {
        final int id;
        final SocketChannel ch;
        final ByteBuffer out;
        final ByteBuffer in;
        long seq;
        long sentAt;
        boolean waiting;

        Conn(int id, SocketChannel ch, int bytes) {
            this.id = id;
            this.ch = ch;
            this.out = ByteBuffer.allocateDirect(bytes);
            this.in = ByteBuffer.allocateDirect(bytes);
        }

        void send(long now) throws IOException {
            seq++;
            out.clear();
            out.putLong(0, id);
            out.putLong(8, seq);
            for (int i = 16; i < out.capacity(); i++) {
                out.put(i, (byte) (seq + i));
            }
            sentAt = now;
            waiting = true;
            while (out.hasRemaining()) {
                // 64 bytes on an idle connection always fit the socket buffer: this never spins.
                ch.write(out);
            }
        }
    }
}
