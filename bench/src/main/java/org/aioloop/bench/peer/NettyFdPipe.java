package org.aioloop.bench.peer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

import io.netty.channel.unix.FileDescriptor;

/**
 * A {@link BenchPipe} over raw pipe fds through Netty's own JNI layer, for the Netty epoll peer.
 */
final class NettyFdPipe implements BenchPipe {
    private final FileDescriptor readEnd;
    private final FileDescriptor writeEnd;
    private final ByteBuffer out = ByteBuffer.allocateDirect(1);
    private final ByteBuffer in = ByteBuffer.allocateDirect(1);

    NettyFdPipe() throws IOException {
        FileDescriptor[] fds = FileDescriptor.pipe();
        readEnd = fds[0];
        writeEnd = fds[1];
    }

    FileDescriptor readEnd() {
        return readEnd;
    }

    @Override
    public void writeByte() {
        try {
            if (writeEnd.write(out, 0, 1) != 1) {
                throw new UncheckedIOException(new IOException("pipe full: fd " + writeEnd.intValue()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean readByte() {
        try {
            return readEnd.read(in, 0, 1) == 1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            readEnd.close();
            writeEnd.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
