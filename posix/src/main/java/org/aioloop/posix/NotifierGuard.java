package org.aioloop.posix;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Closing protocol shared by the notifiers: any number of threads may be inside {@code set()} while
 * one thread closes. The fd must not be closed while a writer is between its check and its
 * {@code write}, or the write could land on an unrelated fd that reused the number. One int holds
 * a CLOSED bit and the count of writers inside; {@link #close()} sets the bit, then waits for the
 * count to drain (writers are a single non-blocking syscall, so the wait is short). Allocation-free.
 */
final class NotifierGuard {
    private static final int CLOSED = 1 << 31;
    private final AtomicInteger state = new AtomicInteger();

    /**
     * @return true if the caller may use the fd and must call {@link #exit()} afterwards; false if
     *         closed
     */
    boolean enter() {
        for (;;) {
            int s = state.get();
            if ((s & CLOSED) != 0) {
                return false;
            }
            if (state.compareAndSet(s, s + 1)) {
                return true;
            }
        }
    }

    void exit() {
        state.decrementAndGet();
    }

    boolean isClosed() {
        return (state.get() & CLOSED) != 0;
    }

    /**
     * Marks closed and waits until no caller is inside.
     *
     * @return true for the one call that closed; false if it was already closed
     */
    boolean close() {
        for (;;) {
            int s = state.get();
            if ((s & CLOSED) != 0) {
                return false;
            }
            if (state.compareAndSet(s, s | CLOSED)) {
                break;
            }
        }
        while ((state.get() & ~CLOSED) != 0) {
            Thread.onSpinWait();
        }
        return true;
    }
}
