package org.aioloop.bench.peer;

import org.aioloop.posix.NativeBuffer;
import org.aioloop.posix.Posix;

/**
 * A {@link BenchPipe} over raw pipe fds through aioloop's posix layer, for the aioloop peers.
 */
final class PosixPipe implements BenchPipe {
    private final int readFd;
    private final int writeFd;
    // One buffer per side: the write end is used by a foreign thread, the read end by the loop.
    private final NativeBuffer out = NativeBuffer.allocate(1);
    private final NativeBuffer in = NativeBuffer.allocate(1);
    private boolean closed;

    PosixPipe() {
        int[] fds = Posix.pipe2(Posix.O_NONBLOCK | Posix.O_CLOEXEC);
        readFd = fds[0];
        writeFd = fds[1];
    }

    int readFd() {
        return readFd;
    }

    @Override
    public void writeByte() {
        if (Posix.write(writeFd, out.address(), 1) != 1) {
            throw new java.io.UncheckedIOException(new java.io.IOException("pipe full: fd " + writeFd));
        }
    }

    @Override
    public boolean readByte() {
        return Posix.read(readFd, in.address(), 1) == 1;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Posix.close(readFd);
            Posix.close(writeFd);
            out.close();
            in.close();
        }
    }
}
