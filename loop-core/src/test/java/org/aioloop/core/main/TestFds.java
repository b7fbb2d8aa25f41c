package org.aioloop.core.main;

import org.aioloop.posix.NativeBuffer;
import org.aioloop.posix.Posix;

/** A non-blocking pipe for tests; reads and writes allocate nothing (one native buffer, raw addresses). */
final class TestFds implements AutoCloseable {
    final int rfd;
    final int wfd;
    private final NativeBuffer buf = NativeBuffer.allocate(4096);
    private boolean closed;

    TestFds() {
        int[] fds = Posix.pipe2(Posix.O_NONBLOCK | Posix.O_CLOEXEC);
        rfd = fds[0];
        wfd = fds[1];
    }

    /** Writes one byte. */
    void write() {
        Posix.write(wfd, buf.address(), 1);
    }

    /** Reads what is there; returns the count, 0 if nothing. */
    long drain() {
        long total = 0;
        for (;;) {
            long r = Posix.read(rfd, buf.address(), buf.size());
            if (r <= 0) {
                return total;
            }
            total += r;
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Posix.close(rfd);
            Posix.close(wfd);
            buf.close();
        }
    }
}
