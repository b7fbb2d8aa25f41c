package org.aioloop.core.aio;

import org.aioloop.api.FdCallback;
import org.aioloop.api.IoEvents;
import org.aioloop.api.PollCallback;
import org.aioloop.api.backend.FdMonitor;

/**
 * One registration of an fd (QEMU's {@code AioHandler}). A replacement always creates a new node;
 * the old one is marked {@link #deleted} at once and never called again (every callback slot
 * re-checks the flag just before calling). The node stays reachable from ready lists that hold it,
 * which is QEMU's deferred free without the use-after-free.
 */
final class FdHandler {
    final int fd;
    final FdCallback read;
    final FdCallback write;
    final PollCallback poll;
    final FdCallback pollReady;
    final int events;
    final String owner;
    /** The context's own notifier: its callbacks are never progress. */
    final boolean isNotifier;

    /** Set by whoever removes or replaces the node (any thread); read before every callback. */
    volatile boolean deleted;

    // Home thread only.
    /** The ready list that currently owns this node (nested passes steal it), or null. */
    ReadyList readyOn;
    int revents;
    boolean pollReadyPending;
    /** True while its poll-ready callback runs: a nested pass must not poll it (QEMU N1). */
    boolean inPollReady;
    /** Its adaptive busy-poll window in ns (QEMU's per-handler {@code AioPolledEvent}). */
    long pollNs;

    FdHandler(int fd, FdCallback read, FdCallback write, PollCallback poll, FdCallback pollReady,
            String owner, boolean isNotifier) {
        this(fd, read, write, poll, pollReady, owner, isNotifier, false);
    }

    /**
     * @param edgeTriggered ask the monitor for {@link FdMonitor#EDGE_TRIGGERED} (the context's own
     *                      eventfd only)
     */
    FdHandler(int fd, FdCallback read, FdCallback write, PollCallback poll, FdCallback pollReady,
            String owner, boolean isNotifier, boolean edgeTriggered) {
        this.fd = fd;
        this.read = read;
        this.write = write;
        // As QEMU: "polling only makes sense if there is a handler".
        this.poll = pollReady == null ? null : poll;
        this.pollReady = pollReady;
        int ev = 0;
        if (read != null) {
            ev |= IoEvents.READ_READY;
        }
        if (write != null) {
            ev |= IoEvents.WRITE_READY;
        }
        this.events = edgeTriggered ? ev | FdMonitor.EDGE_TRIGGERED : ev;
        this.owner = owner;
        this.isNotifier = isNotifier;
    }

    boolean canPoll() {
        return poll != null;
    }
}
