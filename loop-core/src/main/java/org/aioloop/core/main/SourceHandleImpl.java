package org.aioloop.core.main;

import java.util.concurrent.atomic.AtomicBoolean;

import org.aioloop.api.EventSource;
import org.aioloop.api.InvalidFdException;
import org.aioloop.api.IoEvents;
import org.aioloop.api.MainContext;
import org.aioloop.api.PollFd;
import org.aioloop.api.SourceHandle;
import org.aioloop.api.SourceStateException;

/**
 * An attached {@link EventSource}'s state in its {@link MainContextImpl} (GLib's {@code GSource}).
 *
 * <p>Fields marked "owner thread" are only touched by the thread that owns the context while it
 * iterates; the others may change from any thread and are volatile or copy-on-write under the
 * context's lock.
 */
final class SourceHandleImpl implements SourceHandle {
    private static final PollFdImpl[] NO_FDS = new PollFdImpl[0];

    final MainContextImpl context;
    final EventSource source;
    private final String name;
    final int priority;

    /** Copy-on-write under the context's lock; iterated without locking. */
    volatile PollFdImpl[] pollFds = NO_FDS;
    volatile boolean canRecurse;
    volatile long readyTimeNanos = -1;
    private final AtomicBoolean destroyed = new AtomicBoolean();
    /** Makes {@link EventSource#onDestroy} run once. */
    final AtomicBoolean finalized = new AtomicBoolean();

    /** Owner thread: GLib's READY flag (prepared or checked ready, not yet dispatched). */
    boolean ready;
    /** Owner thread: GLib's BLOCKED flag (a non-recursive source inside its own dispatch). */
    boolean blocked;
    /** Owner thread: how many of this source's callbacks are on the stack. */
    int inCall;

    SourceHandleImpl(MainContextImpl context, EventSource source, String name, int priority) {
        this.context = context;
        this.source = source;
        this.name = name;
        this.priority = priority;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int priority() {
        return priority;
    }

    @Override
    public MainContext context() {
        return context;
    }

    @Override
    public void setCanRecurse(boolean canRecurse) {
        this.canRecurse = canRecurse;
    }

    @Override
    public boolean canRecurse() {
        return canRecurse;
    }

    @Override
    public void setReadyTimeNanos(long nanos) {
        if (nanos < -1) {
            throw new IllegalArgumentException("source '" + name + "': ready time " + nanos
                    + " is neither -1 (never) nor a time >= 0");
        }
        readyTimeNanos = nanos;
        if (nanos >= 0) {
            context.wakeupIfForeign(); // GLib wakes the context so the new time bounds its wait
        }
    }

    @Override
    public long readyTimeNanos() {
        return readyTimeNanos;
    }

    @Override
    public PollFd addPollFd(int fd, int events) {
        if (fd < 0) {
            throw new InvalidFdException(fd, "negative fd for source '" + name + "'");
        }
        if ((events & IoEvents.INTEREST_MASK) == 0) {
            throw new InvalidFdException(fd, "empty interest mask " + IoEvents.describe(events)
                    + " for source '" + name + "'");
        }
        if (isDestroyed()) {
            throw new SourceStateException("source '" + name + "' is destroyed: cannot poll fd " + fd);
        }
        PollFdImpl p = new PollFdImpl(this, fd, events & IoEvents.INTEREST_MASK);
        context.addPollFd(this, p);
        return p;
    }

    @Override
    public void removePollFd(PollFd pollFd) {
        if (pollFd instanceof PollFdImpl && ((PollFdImpl) pollFd).owner == this) {
            context.removePollFd(this, (PollFdImpl) pollFd);
        }
    }

    @Override
    public void destroy() {
        if (destroyed.compareAndSet(false, true)) {
            context.destroyed(this);
        }
    }

    @Override
    public boolean isDestroyed() {
        return destroyed.get();
    }

    @Override
    public String toString() {
        return "source '" + name + "' (priority " + priority + (isDestroyed() ? ", destroyed" : "") + ")";
    }
}
