package org.aioloop.backend.poll;

import static org.aioloop.posix.MonitorChecks.checkEvents;
import static org.aioloop.posix.MonitorChecks.checkFd;
import static org.aioloop.posix.MonitorChecks.checkMonitored;
import static org.aioloop.posix.MonitorChecks.checkNotMonitored;
import static org.aioloop.posix.MonitorChecks.checkOpen;

import java.util.Arrays;
import org.aioloop.api.InvalidFdException;
import org.aioloop.api.IoEvents;
import org.aioloop.api.backend.FdMonitor;
import org.aioloop.api.backend.ReadySet;
import org.aioloop.posix.NativeBuffer;
import org.aioloop.posix.PollFdLayout;
import org.aioloop.posix.Posix;
import org.aioloop.posix.Timespec;

/**
 * A {@link FdMonitor} over {@code ppoll(2)} (QEMU's fdmon-poll). The registrations live in one
 * native {@code struct pollfd} array (slots 0..size-1, grown by doubling) that is handed to the
 * kernel as is, plus Java arrays: fd to slot (indexed by fd, grown on demand) and slot to token.
 * Removal moves the last slot into the hole, so the array stays dense. A wait scans the
 * {@code revents} of all slots and stops after the count ppoll returned. Nothing is allocated per
 * wait. Home-thread only.
 */
final class PollMonitor implements FdMonitor {
    private static final int INITIAL_SLOTS = 16;
    private static final int REPORTED = IoEvents.IN | IoEvents.PRI | IoEvents.OUT | IoEvents.ERR | IoEvents.HUP | IoEvents.NVAL;

    private final String backendName;
    private final Timespec timespec = new Timespec();
    private NativeBuffer pollfds = NativeBuffer.allocate(INITIAL_SLOTS * PollFdLayout.SIZE);
    private int capacity = INITIAL_SLOTS;
    private int size;
    /** slot + 1 of each fd, 0 when not monitored (so a new array needs no fill). */
    private int[] slotPlusOneByFd = new int[64];
    private long[] tokenBySlot = new long[INITIAL_SLOTS];
    private boolean closed;

    PollMonitor(String backendName) {
        this.backendName = backendName;
    }

    @Override
    public String backendName() {
        return backendName;
    }

    @Override
    public void add(int fd, int events, long token) {
        checkOpen(closed, backendName);
        checkFd(fd);
        checkEvents(fd, events);
        checkNotMonitored(contains(fd), fd, backendName);
        checkStillOpen(fd);
        if (size == capacity) {
            grow();
        }
        if (fd >= slotPlusOneByFd.length) {
            slotPlusOneByFd = Arrays.copyOf(slotPlusOneByFd, Math.max(fd + 1, slotPlusOneByFd.length * 2));
        }
        int slot = size++;
        writeSlot(slot, fd, events);
        tokenBySlot[slot] = token;
        slotPlusOneByFd[fd] = slot + 1;
    }

    @Override
    public void modify(int fd, int events, long token) {
        checkOpen(closed, backendName);
        checkFd(fd);
        checkEvents(fd, events);
        int slot = slotOf(fd);
        checkStillOpen(fd);
        writeSlot(slot, fd, events);
        tokenBySlot[slot] = token;
    }

    @Override
    public void remove(int fd) {
        checkOpen(closed, backendName);
        checkFd(fd);
        int slot = slotOf(fd);
        int last = --size;
        if (slot != last) {
            int movedFd = pollfds.getInt(last * PollFdLayout.SIZE + PollFdLayout.FD_OFFSET);
            short movedEvents = pollfds.getShort(last * PollFdLayout.SIZE + PollFdLayout.EVENTS_OFFSET);
            writeSlot(slot, movedFd, movedEvents);
            tokenBySlot[slot] = tokenBySlot[last];
            slotPlusOneByFd[movedFd] = slot + 1;
        }
        slotPlusOneByFd[fd] = 0;
    }

    @Override
    public boolean contains(int fd) {
        return fd >= 0 && fd < slotPlusOneByFd.length && slotPlusOneByFd[fd] != 0;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int wait(long timeoutNanos, ReadySet ready) {
        checkOpen(closed, backendName);
        ready.clear();
        int n = Posix.ppoll(pollfds.address(), size, timeoutNanos, timespec);
        for (int slot = 0; slot < size && ready.size() < n; slot++) {
            int base = slot * PollFdLayout.SIZE;
            int revents = pollfds.getShort(base + PollFdLayout.REVENTS_OFFSET) & REPORTED;
            if (revents != 0) {
                ready.add(pollfds.getInt(base + PollFdLayout.FD_OFFSET), revents, tokenBySlot[slot]);
            }
        }
        return ready.size();
    }

    /** @return -1: poll has no fd of its own to wait on */
    @Override
    public int pollableFd() {
        return -1;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            pollfds.close();
            timespec.close();
            size = 0;
            slotPlusOneByFd = new int[0];
        }
    }

    @Override
    public String toString() {
        return "FdMonitor[" + backendName + ", " + size + " fds" + (closed ? ", closed]" : "]");
    }

    private void writeSlot(int slot, int fd, int events) {
        int base = slot * PollFdLayout.SIZE;
        pollfds.putInt(base + PollFdLayout.FD_OFFSET, fd);
        pollfds.putShort(base + PollFdLayout.EVENTS_OFFSET, (short) (events & IoEvents.INTEREST_MASK)); // EDGE_TRIGGERED: not honoured
        pollfds.putShort(base + PollFdLayout.REVENTS_OFFSET, (short) 0);
    }

    private void grow() {
        int newCapacity = capacity * 2;
        NativeBuffer bigger = NativeBuffer.allocate(newCapacity * PollFdLayout.SIZE);
        pollfds.copyTo(bigger, size * PollFdLayout.SIZE);
        pollfds.close();
        pollfds = bigger;
        tokenBySlot = Arrays.copyOf(tokenBySlot, newCapacity);
        capacity = newCapacity;
    }

    private int slotOf(int fd) {
        checkMonitored(contains(fd), fd, backendName);
        return slotPlusOneByFd[fd] - 1;
    }

    /** poll(2) accepts any fd number and reports POLLNVAL later, so check up front with fcntl. */
    private static void checkStillOpen(int fd) {
        if (!Posix.isOpen(fd)) {
            throw new InvalidFdException(fd, "not open (fcntl F_GETFD: EBADF)");
        }
    }
}
