package org.aioloop.posix;

import org.aioloop.api.EventNotifier;

/**
 * An {@link EventNotifier} on one {@code eventfd(0, EFD_NONBLOCK|EFD_CLOEXEC)} (QEMU's
 * {@code event_notifier_init} fast path). {@link #set()} adds 1 to the counter, {@link #testAndClear()}
 * reads it back to 0.
 */
final class EventFdNotifier extends FdNotifier {
    /*
     * The value written by set(): a uint64 1 in native memory shared by every notifier. Only the
     * kernel reads it (write(2) copies it), so concurrent set() calls from any thread need no
     * per-call buffer and allocate nothing.
     */
    private static final NativeBuffer ONE = one();

    private final int fd;
    private final NativeBuffer readBuffer = NativeBuffer.allocate(8);

    EventFdNotifier(int fd) {
        this.fd = fd;
    }

    private static NativeBuffer one() {
        NativeBuffer b = NativeBuffer.allocate(8);
        b.putLong(0, 1L);
        return b;
    }

    @Override
    public int readFd() {
        return fd;
    }

    /** The counter only fills after 2^64 - 2 undrained sets: every set is a new edge. */
    @Override
    public boolean edgeTriggerSafe() {
        return true;
    }

    @Override
    void signal() {
        // EAGAIN: the counter is at its maximum, so a read is pending anyway.
        Posix.write(fd, ONE.address(), 8);
    }

    @Override
    boolean drain() {
        // One read returns the whole counter and resets it to 0 (not EFD_SEMAPHORE).
        return Posix.read(fd, readBuffer.address(), 8) > 0;
    }

    @Override
    void release() {
        Posix.close(fd);
        readBuffer.close();
    }

    @Override
    String describeFds() {
        return "eventfd " + fd;
    }
}
