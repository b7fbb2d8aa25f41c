package org.aioloop.posix;

import org.aioloop.api.EventNotifier;

/**
 * An {@link EventNotifier} on a non-blocking pipe pair, for systems without eventfd (QEMU's
 * {@code event_notifier_init} fallback). {@link #set()} writes one byte to the write end;
 * {@link #testAndClear()} reads the read end until it is empty.
 */
final class PipeNotifier extends FdNotifier {
    /** The byte written by set(); read only by the kernel, so shared by all writers (see EventFdNotifier). */
    private static final NativeBuffer ONE = one();
    private static final int DRAIN_CHUNK = 512;

    private final int readFd;
    private final int writeFd;
    private final NativeBuffer drainBuffer = NativeBuffer.allocate(DRAIN_CHUNK);

    PipeNotifier(int readFd, int writeFd) {
        this.readFd = readFd;
        this.writeFd = writeFd;
    }

    private static NativeBuffer one() {
        NativeBuffer b = NativeBuffer.allocate(1);
        b.putByte(0, (byte) 1);
        return b;
    }

    @Override
    public int readFd() {
        return readFd;
    }

    /**
     * @return the write end, for tests
     */
    int writeFd() {
        return writeFd;
    }

    @Override
    void signal() {
        // EAGAIN: the pipe is full, so the reader will wake anyway.
        Posix.write(writeFd, ONE.address(), 1);
    }

    @Override
    boolean drain() {
        boolean value = false;
        long n;
        do {
            n = Posix.read(readFd, drainBuffer.address(), DRAIN_CHUNK);
            value |= n > 0;
        } while (n == DRAIN_CHUNK);
        return value;
    }

    @Override
    void release() {
        try {
            Posix.close(writeFd);
        } finally {
            Posix.close(readFd);
            drainBuffer.close();
        }
    }

    @Override
    String describeFds() {
        return "pipe " + readFd + "/" + writeFd;
    }
}
