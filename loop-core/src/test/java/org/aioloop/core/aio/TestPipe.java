package org.aioloop.core.aio;

import java.nio.ByteBuffer;
import org.aioloop.posix.Posix;

/** A non-blocking pipe for tests; reads and writes allocate nothing (direct buffers). */
final class TestPipe implements AutoCloseable {
    final int rfd;
    final int wfd;
    private final ByteBuffer wbuf = ByteBuffer.allocateDirect(4096);
    private final ByteBuffer rbuf = ByteBuffer.allocateDirect(4096);
    private boolean closed;

    TestPipe() {
        int[] fds = Posix.pipe2(Posix.O_NONBLOCK | Posix.O_CLOEXEC);
        rfd = fds[0];
        wfd = fds[1];
    }

    /** Writes {@code n} bytes (n &lt;= 4096); returns how many went in. */
    int write(int n) {
        wbuf.clear().limit(n);
        int w = Posix.write(wfd, wbuf);
        return Math.max(w, 0);
    }

    /** Reads what is there (up to 4096 bytes); returns the count, 0 if nothing. */
    int drain() {
        rbuf.clear();
        int r = Posix.read(rfd, rbuf);
        return Math.max(r, 0);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Posix.close(rfd);
            Posix.close(wfd);
        }
    }
}
