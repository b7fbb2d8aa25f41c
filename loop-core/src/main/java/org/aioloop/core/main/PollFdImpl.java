package org.aioloop.core.main;

import org.aioloop.api.IoEvents;
import org.aioloop.api.PollFd;

/**
 * One fd a source asked its {@link MainContextImpl} to poll (GLib's poll record from
 * {@code g_source_add_unix_fd}). The context writes {@link #revents()} on its owner thread after
 * each wait, before the sources are checked.
 */
final class PollFdImpl implements PollFd {
    /** Bits every poll record reports whatever its interest (as poll(2) does). */
    static final int ALWAYS_REPORTED = IoEvents.ERR | IoEvents.HUP | IoEvents.NVAL;

    final SourceHandleImpl owner;
    private final int fd;
    private final int events;
    /** Written by the owner thread of the context; volatile so a check on any thread reads it. */
    volatile int revents;

    PollFdImpl(SourceHandleImpl owner, int fd, int events) {
        this.owner = owner;
        this.fd = fd;
        this.events = events;
    }

    @Override
    public int fd() {
        return fd;
    }

    @Override
    public int events() {
        return events;
    }

    @Override
    public int revents() {
        return revents;
    }

    /** Takes this record's share of the wait's result for its fd. */
    void setResult(int fdRevents) {
        revents = fdRevents & (events | ALWAYS_REPORTED);
    }

    @Override
    public String toString() {
        return "PollFd[fd " + fd + " " + IoEvents.describe(events) + " -> " + IoEvents.describe(revents) + "]";
    }
}
