package org.aioloop.bench.peer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;

/**
 * A {@link BenchPipe} over {@link java.nio.channels.Pipe}, for the NIO peers.
 */
final class NioPipe implements BenchPipe {
    private final Pipe pipe;
    // One buffer per side: the write end is used by a foreign thread, the read end by the loop.
    private final ByteBuffer out = ByteBuffer.allocateDirect(1);
    private final ByteBuffer in = ByteBuffer.allocateDirect(1);

    NioPipe() throws IOException {
        pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        pipe.sink().configureBlocking(false);
    }

    Pipe.SourceChannel source() {
        return pipe.source();
    }

    @Override
    public void writeByte() {
        try {
            out.clear();
            if (pipe.sink().write(out) != 1) {
                throw new UncheckedIOException(new IOException("pipe full"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean readByte() {
        try {
            in.clear();
            return pipe.source().read(in) == 1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            pipe.source().close();
            pipe.sink().close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
