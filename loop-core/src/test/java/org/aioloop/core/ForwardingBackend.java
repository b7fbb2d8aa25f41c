package org.aioloop.core;

import org.aioloop.api.backend.FdMonitor;
import org.aioloop.api.backend.PollBackend;

/**
 * A test backend over a real one, under its own name (rank 0, always available): its monitors are
 * the real backend's, wrapped by {@link #wrap(FdMonitor)}, which subclasses override to watch or
 * break them (see {@link ForwardingMonitor}).
 */
public class ForwardingBackend implements PollBackend {
    private final String name;
    /** The backend that does the work. */
    protected final PollBackend real;

    /**
     * @param name what {@link #name()} reports
     * @param real the backend that does the work
     */
    public ForwardingBackend(String name, PollBackend real) {
        this.name = name;
        this.real = real;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int rank() {
        return 0;
    }

    @Override
    public String unavailableReason() {
        return null;
    }

    @Override
    public FdMonitor open() {
        return wrap(real.open());
    }

    /**
     * @param monitor a monitor of the real backend
     * @return what {@link #open()} returns for it; by default a plain {@link ForwardingMonitor}
     */
    protected FdMonitor wrap(FdMonitor monitor) {
        return new ForwardingMonitor(name, monitor);
    }
}
