package org.aioloop.core.aio;

import java.nio.ByteBuffer;
import org.aioloop.posix.Posix;

/** A non-blocking pipe for tests; reads and writes allocate nothing (direct buffers). */
final class TestPipe implements AutoCloseable {
    final int rfd;
    final int wfd;
    private final ByteBuffer wbuf = ByteBuffer.allocateDirect(4096);
    private final ByteBuffer rbuf = ByteBuffer.allocateDirect(4096);
    // Posix.read/write(ByteBuffer) look the address up per call (a JNA Pointer): resolve it once.
    private final long waddr = com.sun.jna.Pointer.nativeValue(com.sun.jna.Native.getDirectBufferPointer(wbuf));
    private final long raddr = com.sun.jna.Pointer.nativeValue(com.sun.jna.Native.getDirectBufferPointer(rbuf));
    private boolean closed;

    TestPipe() {
        int[] fds = Posix.pipe2(Posix.O_NONBLOCK | Posix.O_CLOEXEC);
        rfd = fds[0];
        wfd = fds[1];
    }

    /** Writes {@code n} bytes (n &lt;= 4096); returns how many went in. */
    int write(int n) {
        long w = Posix.write(wfd, waddr, n);
        return (int) Math.max(w, 0);
    }

    /** Reads what is there (up to 4096 bytes); returns the count, 0 if nothing. */
    int drain() {
        long r = Posix.read(rfd, raddr, 4096);
        return (int) Math.max(r, 0);
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
