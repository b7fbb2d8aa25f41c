package org.aioloop.backend.epoll;

import static org.aioloop.posix.MonitorChecks.checkEvents;
import static org.aioloop.posix.MonitorChecks.checkFd;
import static org.aioloop.posix.MonitorChecks.checkMonitored;
import static org.aioloop.posix.MonitorChecks.checkNotMonitored;
import static org.aioloop.posix.MonitorChecks.checkOpen;

import java.util.Arrays;
import org.aioloop.api.FdRegistrationException;
import org.aioloop.api.InvalidFdException;
import org.aioloop.api.IoEvents;
import org.aioloop.api.NativeCallException;
import org.aioloop.api.backend.FdMonitor;
import org.aioloop.api.backend.ReadySet;
import org.aioloop.posix.EpollEventLayout;
import org.aioloop.posix.Errno;
import org.aioloop.posix.NativeBuffer;
import org.aioloop.posix.PollFdLayout;
import org.aioloop.posix.Posix;
import org.aioloop.posix.Timespec;

/**
 * A {@link FdMonitor} over one epoll instance (QEMU's fdmon-epoll), level-triggered except for
 * registrations that ask for {@link FdMonitor#EDGE_TRIGGERED} ({@code EPOLLET}). The
 * {@code epoll_data} of each registration is the fd itself; the token and interest are looked up
 * in Java arrays indexed by fd, which also answer {@link #contains}, {@link #size} and catch a
 * duplicate add or an unknown modify/remove without a system call. Events are read into one
 * preallocated native array (128 to start, as QEMU; doubled when a wait fills it or the ready set
 * is larger). Nothing is allocated per wait. Home-thread only.
 */
final class EpollMonitor implements FdMonitor {
    private static final int INITIAL_EVENTS = 128;
    private static final int MAX_EVENTS = 4096;
    private static final int REPORTED = IoEvents.IN | IoEvents.PRI | IoEvents.OUT | IoEvents.ERR | IoEvents.HUP;
    private static final EpollEventLayout LAYOUT = EpollEventLayout.NATIVE;

    private final String backendName;
    private final boolean usePwait2;
    private final int epfd;
    private final NativeBuffer ctlEvent = NativeBuffer.allocate(LAYOUT.size());
    private final NativeBuffer epfdPoll = NativeBuffer.allocate(PollFdLayout.SIZE);
    private final Timespec timespec = new Timespec();
    private NativeBuffer events;
    private int maxEvents;
    /** Interest mask by fd; 0 = not monitored (an interest mask is never 0). */
    private int[] interestByFd = new int[64];
    private long[] tokenByFd = new long[64];
    private int size;
    private boolean closed;

    /**
     * @param backendName the backend's name
     * @param usePwait2   whether to wait with epoll_pwait2 (else ppoll on the epoll fd)
     * @throws NativeCallException if epoll_create1 fails
     */
    EpollMonitor(String backendName, boolean usePwait2) {
        this.backendName = backendName;
        this.usePwait2 = usePwait2;
        this.epfd = Posix.epollCreate1(Posix.EPOLL_CLOEXEC);
        this.maxEvents = INITIAL_EVENTS;
        this.events = NativeBuffer.allocate(maxEvents * LAYOUT.size());
        epfdPoll.putInt(PollFdLayout.FD_OFFSET, epfd);
        epfdPoll.putShort(PollFdLayout.EVENTS_OFFSET, Posix.POLLIN);
    }

    @Override
    public String backendName() {
        return backendName;
    }

    @Override
    public boolean honoursEdgeTriggered() {
        return true;
    }

    @Override
    public void add(int fd, int events, long token) {
        checkOpen(closed, backendName);
        checkFd(fd);
        checkEvents(fd, events);
        checkNotMonitored(contains(fd), fd, backendName);
        ctl(Posix.EPOLL_CTL_ADD, fd, events);
        if (fd >= interestByFd.length) {
            int n = Math.max(fd + 1, interestByFd.length * 2);
            interestByFd = Arrays.copyOf(interestByFd, n);
            tokenByFd = Arrays.copyOf(tokenByFd, n);
        }
        interestByFd[fd] = events;
        tokenByFd[fd] = token;
        size++;
    }

    @Override
    public void modify(int fd, int events, long token) {
        checkOpen(closed, backendName);
        checkFd(fd);
        checkEvents(fd, events);
        checkMonitored(contains(fd), fd, backendName);
        // Always asks the kernel, even for a token-only change: that is what finds a closed fd.
        ctl(Posix.EPOLL_CTL_MOD, fd, events);
        interestByFd[fd] = events;
        tokenByFd[fd] = token;
    }

    @Override
    public void remove(int fd) {
        checkOpen(closed, backendName);
        checkFd(fd);
        checkMonitored(contains(fd), fd, backendName);
        try {
            Posix.epollCtl(epfd, Posix.EPOLL_CTL_DEL, fd, ctlEvent.address());
        } catch (NativeCallException e) {
            // EBADF/ENOENT: the fd was closed meanwhile (the kernel dropped it, or the number now
            // names another file that was never added): either way it is no longer monitored.
            if (e.errno() != Errno.EBADF && e.errno() != Errno.ENOENT) {
                throw e;
            }
        }
        interestByFd[fd] = 0;
        tokenByFd[fd] = 0;
        size--;
    }

    @Override
    public boolean contains(int fd) {
        return fd >= 0 && fd < interestByFd.length && interestByFd[fd] != 0;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int wait(long timeoutNanos, ReadySet ready) {
        checkOpen(closed, backendName);
        ready.clear();
        if (ready.capacity() > maxEvents && maxEvents < MAX_EVENTS) {
            growEvents(Math.min(ready.capacity(), MAX_EVENTS));
        }
        int n;
        if (timeoutNanos == 0) {
            n = Posix.epollWait(epfd, events.address(), maxEvents, 0);
        } else if (usePwait2) {
            n = Posix.epollPwait2(epfd, events.address(), maxEvents, timeoutNanos, timespec);
        } else if (timeoutNanos < 0) {
            n = Posix.epollWait(epfd, events.address(), maxEvents, -1);
        } else {
            /*
             * epoll_wait only takes milliseconds. As QEMU's fdmon-epoll, wait with ppoll on the
             * epoll fd (readable when any monitored fd is ready), which takes nanoseconds, then
             * collect the events without blocking.
             */
            n = Posix.ppoll(epfdPoll.address(), 1, timeoutNanos, timespec) == 0
                    ? 0
                    : Posix.epollWait(epfd, events.address(), maxEvents, 0);
        }
        int eventSize = LAYOUT.size();
        int dataOffset = LAYOUT.dataOffset();
        for (int i = 0; i < n; i++) {
            int base = i * eventSize;
            int fd = (int) events.getLong(base + dataOffset);
            int revents = events.getInt(base + EpollEventLayout.EVENTS_OFFSET) & REPORTED;
            // An fd removed after being closed can live on in the kernel through a dup'ed
            // descriptor (epoll watches the open file, not the number): ignore what we no longer own.
            if (revents != 0 && contains(fd)) {
                ready.add(fd, revents, tokenByFd[fd]);
            }
        }
        if (n == maxEvents && maxEvents < MAX_EVENTS) {
            growEvents(maxEvents * 2); // more may be ready: take a bigger batch next time
        }
        return ready.size();
    }

    /** @return the epoll fd: readable whenever a monitored fd is ready */
    @Override
    public int pollableFd() {
        return closed ? -1 : epfd;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            size = 0;
            interestByFd = new int[0];
            tokenByFd = new long[0];
            try {
                Posix.close(epfd);
            } finally {
                events.close();
                ctlEvent.close();
                epfdPoll.close();
                timespec.close();
            }
        }
    }

    @Override
    public String toString() {
        return "FdMonitor[" + backendName + ", epfd " + epfd + ", " + size + " fds"
                + (usePwait2 ? ", epoll_pwait2" : ", ppoll") + (closed ? ", closed]" : "]");
    }

    private void ctl(int op, int fd, int interest) {
        int epollEvents = (interest & IoEvents.INTEREST_MASK) // the same bits as EPOLLIN..EPOLLHUP
                | ((interest & EDGE_TRIGGERED) != 0 ? Posix.EPOLLET : 0);
        ctlEvent.putInt(EpollEventLayout.EVENTS_OFFSET, epollEvents);
        ctlEvent.putLong(LAYOUT.dataOffset(), fd);
        try {
            Posix.epollCtl(epfd, op, fd, ctlEvent.address());
        } catch (NativeCallException e) {
            switch (e.errno()) {
                case Errno.EBADF:
                    throw new InvalidFdException(fd, "not open (" + e.call() + ": EBADF)", e);
                case Errno.EPERM:
                    throw new InvalidFdException(fd, "cannot be monitored by epoll (EPERM: a regular file or directory?)", e);
                case Errno.ENOENT:
                    throw new InvalidFdException(fd, "was closed since it was added (" + e.call() + ": ENOENT)", e);
                case Errno.EEXIST:
                    throw new FdRegistrationException(fd, "already in the epoll set (" + e.call() + ": EEXIST)");
                default:
                    throw e;
            }
        }
    }

    private void growEvents(int newMax) {
        NativeBuffer bigger = NativeBuffer.allocate(newMax * LAYOUT.size());
        events.close();
        events = bigger;
        maxEvents = newMax;
    }
}
