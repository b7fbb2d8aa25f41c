package org.aioloop.bench.peer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP echo server on a {@link SelectorLoop}: read what is there, write it back, and wait for
 * OP_WRITE only when the socket buffer is full.
 */
final class SelectorEchoServer implements EchoServer {
    private final SelectorLoop loop;
    private final ServerSocketChannel server;
    private final Set<SocketChannel> children = ConcurrentHashMap.newKeySet();

    SelectorEchoServer(SelectorLoop loop) throws IOException {
        this.loop = loop;
        server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress("127.0.0.1", 0), 1024);
        server.configureBlocking(false);
        loop.runSync(() -> {
            try {
                loop.registerOnLoop(server, SelectionKey.OP_ACCEPT, k -> accept());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private void accept() throws IOException {
        SocketChannel ch;
        while ((ch = server.accept()) != null) {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            children.add(ch);
            loop.registerOnLoop(ch, SelectionKey.OP_READ, new Connection(ch));
        }
    }

    @Override
    public int port() {
        return server.socket().getLocalPort();
    }

    @Override
    public void close() {
        loop.runSync(() -> {
            try {
                server.close();
                for (SocketChannel ch : children) {
                    ch.close();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** One accepted connection and its buffer. */
    private final class Connection implements SelectorLoop.KeyHandler {
        private final SocketChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocateDirect(16 * 1024);

        Connection(SocketChannel ch) {
            this.ch = ch;
        }

        @Override
        public void onSelected(SelectionKey key) throws IOException {
            if (key.isReadable()) {
                int n = ch.read(buf);
                if (n < 0) {
                    children.remove(ch);
                    key.cancel();
                    ch.close();
                    return;
                }
            }
            buf.flip();
            ch.write(buf);
            boolean pending = buf.hasRemaining();
            buf.compact();
            key.interestOps(pending ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }
    }
}
