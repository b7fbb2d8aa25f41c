package org.aioloop.posix;

import org.aioloop.api.ContextClosedException;
import org.aioloop.api.EventNotifier;

/**
 * What the eventfd and the pipe notifier share: every call runs inside the {@link NotifierGuard},
 * so {@link #close()} never releases an fd that a concurrent {@link #set()} or
 * {@link #testAndClear()} is still using (the fd number could be reused by then). Subclasses do the
 * one native call of each operation.
 */
abstract class FdNotifier implements EventNotifier {
    private final NotifierGuard guard = new NotifierGuard();

    /** Signals the fd (one write); a full counter or pipe (EAGAIN) needs nothing more. */
    abstract void signal();

    /** Reads the fd back to "not set"; whether anything was there. */
    abstract boolean drain();

    /** Closes the fds and frees the buffers; runs once, after every guarded call has left. */
    abstract void release();

    /** The fds, for messages ("eventfd 5", "pipe 5/6"); built only on error or toString. */
    abstract String describeFds();

    @Override
    public final void set() {
        if (!guard.enter()) {
            throw new ContextClosedException("event notifier (" + describeFds() + ")");
        }
        try {
            signal();
        } finally {
            guard.exit();
        }
    }

    @Override
    public final boolean testAndClear() {
        if (!guard.enter()) {
            return false;
        }
        try {
            return drain();
        } finally {
            guard.exit();
        }
    }

    @Override
    public final boolean isClosed() {
        return guard.isClosed();
    }

    @Override
    public final void close() {
        if (guard.close()) {
            release();
        }
    }

    @Override
    public String toString() {
        return "EventNotifier[" + describeFds() + (isClosed() ? ", closed]" : "]");
    }
}
