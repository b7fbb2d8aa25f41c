package org.aioloop.api.backend;

import java.util.Arrays;

/**
 * A reusable list of ready fds, filled by {@link FdMonitor#wait(long, ReadySet)}: parallel arrays of
 * fd, ready events and token. It grows by doubling and never shrinks, so a wait in steady state
 * allocates nothing. Not thread-safe: owned by one context.
 */
public final class ReadySet {
    private int[] fds;
    private int[] events;
    private long[] tokens;
    private int size;

    /** Creates a set with room for 128 events (QEMU's epoll batch). */
    public ReadySet() {
        this(128);
    }

    /**
     * @param capacity the initial capacity, &gt; 0
     */
    public ReadySet(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be > 0: " + capacity);
        }
        fds = new int[capacity];
        events = new int[capacity];
        tokens = new long[capacity];
    }

    /** Empties the set; keeps its storage. */
    public void clear() {
        size = 0;
    }

    /**
     * Appends one ready fd (backends call this).
     *
     * @param fd       the fd
     * @param revents  its ready events
     * @param token    its registration token
     */
    public void add(int fd, int revents, long token) {
        if (size == fds.length) {
            ensureCapacity(size * 2);
        }
        fds[size] = fd;
        events[size] = revents;
        tokens[size] = token;
        size++;
    }

    /**
     * Grows the storage to at least {@code capacity} entries.
     *
     * @param capacity the wanted capacity
     */
    public void ensureCapacity(int capacity) {
        if (capacity > fds.length) {
            fds = Arrays.copyOf(fds, capacity);
            events = Arrays.copyOf(events, capacity);
            tokens = Arrays.copyOf(tokens, capacity);
        }
    }

    /**
     * @return the number of entries
     */
    public int size() {
        return size;
    }

    /**
     * @return the current storage capacity
     */
    public int capacity() {
        return fds.length;
    }

    /**
     * @param i an index below {@link #size()}
     * @return the fd of entry {@code i}
     */
    public int fd(int i) {
        return fds[i];
    }

    /**
     * @param i an index below {@link #size()}
     * @return the ready events of entry {@code i}
     */
    public int events(int i) {
        return events[i];
    }

    /**
     * @param i an index below {@link #size()}
     * @return the token of entry {@code i}
     */
    public long token(int i) {
        return tokens[i];
    }
}
