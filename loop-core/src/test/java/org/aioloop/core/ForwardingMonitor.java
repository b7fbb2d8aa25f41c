package org.aioloop.core;

import org.aioloop.api.backend.FdMonitor;
import org.aioloop.api.backend.ReadySet;

/**
 * A test monitor that forwards every call to a real one under another backend name; tests override
 * the one call they want to watch or break (the wait's timeout, a failing add or wait, close).
 */
public class ForwardingMonitor implements FdMonitor {
    private final String backendName;
    /** The monitor that does the work. */
    protected final FdMonitor real;

    /**
     * @param backendName what {@link #backendName()} reports
     * @param real        the monitor that does the work
     */
    public ForwardingMonitor(String backendName, FdMonitor real) {
        this.backendName = backendName;
        this.real = real;
    }

    @Override
    public String backendName() {
        return backendName;
    }

    @Override
    public void add(int fd, int events, long token) {
        real.add(fd, events, token);
    }

    @Override
    public void modify(int fd, int events, long token) {
        real.modify(fd, events, token);
    }

    @Override
    public void remove(int fd) {
        real.remove(fd);
    }

    @Override
    public boolean contains(int fd) {
        return real.contains(fd);
    }

    @Override
    public int size() {
        return real.size();
    }

    @Override
    public int wait(long timeoutNanos, ReadySet ready) {
        return real.wait(timeoutNanos, ready);
    }

    @Override
    public int pollableFd() {
        return real.pollableFd();
    }

    @Override
    public void close() {
        real.close();
    }
}
