package org.aioloop.core.main;

import java.util.Arrays;
import java.util.Objects;

import org.aioloop.api.EventSource;
import org.aioloop.api.IoEvents;
import org.aioloop.api.PollFd;
import org.aioloop.api.SourceHandle;
import org.aioloop.core.aio.AioContextImpl;
import org.aioloop.core.aio.FdVisitor;

/**
 * An {@link AioContextImpl} as a source of a parent {@link MainContextImpl} (QEMU's
 * {@code aio_source_funcs}): prepare is {@code aio_ctx_prepare}, check {@code aio_ctx_check},
 * dispatch {@code aio_ctx_dispatch} (bottom halves, then fd handlers, then timers). Attach it
 * can-recurse, as QEMU does, so a nested iteration started from one of the context's callbacks
 * keeps servicing the context.
 *
 * <p>How the parent's wait sees the child's fds depends on the child's backend, re-decided in every
 * prepare (the child may switch backends at run time):
 * <ul>
 * <li>with a pollable monitor fd (epoll) the parent polls that one fd for IN; it is readable
 *     whenever any of the child's fds (its notifier included) is ready;</li>
 * <li>without one (poll) the parent polls a mirror of every fd of the child plus its notifier,
 *     rebuilt only when the child's {@link AioContextImpl#registrationVersion()} changes.</li>
 * </ul>
 * Either way, if the parent saw one of those fds ready, the child's check asks its own monitor (a
 * zero-timeout wait) which fds are ready, so the parent never hands revents down; if it saw none,
 * the check skips that system call. A kick of the child from any thread writes
 * the child's notifier (the child set its {@code notify_me} bit in prepare), which is in the
 * parent's wait: the parent wakes.
 *
 * <p>Timeouts are nanoseconds end to end; where a backend waits in milliseconds it rounds up.
 * Owner thread only (the parent's owner is the child's home thread).
 */
public final class AioContextSource implements EventSource {
    private final AioContextImpl context;
    private final FdVisitor mirror = this::mirrorFd;
    private PollFd[] polled = new PollFd[8];
    private int polledCount;
    /** The pollable fd the parent polls, or -1 when mirroring; -2 before the first sync. */
    private int mirroredPollable = -2;
    private long mirroredVersion;
    private SourceHandle syncing;
    private boolean sawNotifier;
    /** Whether the child's check ran since its prepare (GLib skips check for a source prepare found ready). */
    private boolean checkedSincePrepare;

    /**
     * @param context the child context; its lifetime stays with its creator
     */
    public AioContextSource(AioContextImpl context) {
        this.context = Objects.requireNonNull(context, "context");
    }

    /**
     * @return the child context
     */
    public AioContextImpl context() {
        return context;
    }

    @Override
    public long prepare(SourceHandle source) {
        if (context.isClosed()) {
            source.destroy(); // the child is gone: stop being prepared, checked and polled
            return -1;
        }
        checkedSincePrepare = false;
        long timeout = context.sourcePrepare();
        syncPollFds(source);
        return timeout;
    }

    @Override
    public boolean check(SourceHandle source) {
        if (context.isClosed()) {
            return false;
        }
        checkedSincePrepare = true;
        return context.sourceCheck(anyPolledFdReady());
    }

    private boolean anyPolledFdReady() {
        for (int i = 0; i < polledCount; i++) {
            if (polled[i].revents() != 0) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean dispatch(SourceHandle source) {
        if (context.isClosed()) {
            return false;
        }
        if (!checkedSincePrepare) {
            // GLib does not check a source whose prepare said "ready", but the child's check is
            // where it accepts the notification (clears notified and its notify_me bit) and
            // collects its ready fds; without it a kick would keep prepare returning 0 forever
            // and ready fds would wait a pass. QEMU's aio_ctx_dispatch finds ready fds itself.
            context.sourceCheck();
        }
        checkedSincePrepare = false;
        context.sourceDispatch();
        return true; // QEMU: "always return TRUE", the source is never removed by dispatching
    }

    @Override
    public void onDestroy(SourceHandle source) {
        polledCount = 0;
        Arrays.fill(polled, null);
    }

    /** Brings the parent's poll fds in line with the child's backend and registrations. */
    private void syncPollFds(SourceHandle source) {
        int pollable = context.pollableFd();
        if (pollable >= 0) {
            if (pollable != mirroredPollable) {
                removeAll(source);
                keep(source.addPollFd(pollable, IoEvents.IN));
                mirroredPollable = pollable;
            }
            return;
        }
        long version = context.registrationVersion();
        if (mirroredPollable == -1 && version == mirroredVersion) {
            return; // steady state: nothing changed, nothing to do
        }
        removeAll(source);
        syncing = source;
        sawNotifier = false;
        try {
            context.forEachFd(mirror);
        } finally {
            syncing = null;
        }
        if (!sawNotifier) {
            keep(source.addPollFd(context.notifierFd(), IoEvents.IN));
        }
        mirroredPollable = -1;
        mirroredVersion = version;
    }

    private void mirrorFd(int fd, int events) {
        if ((events & IoEvents.INTEREST_MASK) == 0) {
            return;
        }
        if (fd == context.notifierFd()) {
            sawNotifier = true;
        }
        keep(syncing.addPollFd(fd, events));
    }

    private void keep(PollFd p) {
        if (polledCount == polled.length) {
            polled = Arrays.copyOf(polled, polledCount * 2);
        }
        polled[polledCount++] = p;
    }

    private void removeAll(SourceHandle source) {
        for (int i = 0; i < polledCount; i++) {
            source.removePollFd(polled[i]);
            polled[i] = null;
        }
        polledCount = 0;
    }

    /**
     * @return how many fds the parent polls for the child now (1 with epoll, all of them with poll)
     */
    public int polledFdCount() {
        return polledCount;
    }

    @Override
    public String toString() {
        return "AioContextSource[" + context.name() + "]";
    }
}
