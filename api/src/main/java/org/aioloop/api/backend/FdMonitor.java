package org.aioloop.api.backend;

import org.aioloop.api.FdRegistrationException;
import org.aioloop.api.InvalidFdException;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One context's set of monitored fds on one backend (QEMU's per-context {@code FDMonOps} state).
 *
 * <p>Thread rule: a monitor is confined to its context's home thread (the context applies
 * registration changes from other threads on the home thread). Readiness is level-triggered unless
 * a registration asks for {@link #EDGE_TRIGGERED} and the monitor {@linkplain
 * #honoursEdgeTriggered() honours it}. Each
 * registration carries an opaque {@code token} that is handed back with every ready event, so a
 * context finds its handler in O(1) without a map lookup.
 *
 * <p>Error rule: a method that throws leaves the monitor's other registrations unchanged.
 */
@ConsumerType
public interface FdMonitor extends AutoCloseable {
    /**
     * An interest-mask flag: report the fd once per new readiness (epoll's {@code EPOLLET}) instead
     * of on every wait while it stays ready. It is a hint: a monitor that cannot honour it (poll)
     * watches the fd level-triggered, and {@link #honoursEdgeTriggered()} tells the caller which
     * happened, so the caller knows whether it must drain the fd. Combined with at least one
     * {@link org.aioloop.api.IoEvents} interest bit.
     */
    int EDGE_TRIGGERED = 1 << 31;

    /**
     * @return whether registrations with {@link #EDGE_TRIGGERED} are watched edge-triggered (else
     *         they are level-triggered like every other)
     */
    default boolean honoursEdgeTriggered() {
        return false;
    }

    /**
     * @return the name of the backend that opened this monitor
     */
    String backendName();

    /**
     * Starts monitoring {@code fd}.
     *
     * @param fd     an open fd, &gt;= 0
     * @param events a non-zero mask of {@link org.aioloop.api.IoEvents} interest bits, optionally
     *               with {@link #EDGE_TRIGGERED}
     * @param token  handed back with each ready event
     * @throws InvalidFdException      if {@code fd} is negative or not open, or {@code events} is 0
     * @throws FdRegistrationException if {@code fd} is already monitored
     */
    void add(int fd, int events, long token);

    /**
     * Changes the interest and token of a monitored fd.
     *
     * @param fd     a monitored fd
     * @param events a non-zero interest mask
     * @param token  the new token
     * @throws InvalidFdException      if {@code events} is 0 or the fd is no longer open
     * @throws FdRegistrationException if {@code fd} is not monitored
     */
    void modify(int fd, int events, long token);

    /**
     * Stops monitoring {@code fd}. Works also when the fd was closed meanwhile.
     *
     * @param fd a monitored fd
     * @throws FdRegistrationException if {@code fd} is not monitored
     */
    void remove(int fd);

    /**
     * @param fd an fd
     * @return whether {@code fd} is monitored
     */
    boolean contains(int fd);

    /**
     * @return the number of monitored fds
     */
    int size();

    /**
     * Waits until an fd is ready or the timeout passes, and fills {@code ready} (cleared first).
     * EINTR is retried with the remaining time. A positive timeout below one millisecond is honoured
     * with nanosecond precision (ppoll or epoll_pwait2), never turned into a busy loop or a 1 ms
     * sleep.
     *
     * @param timeoutNanos -1 to wait indefinitely, 0 to return at once, else the longest wait
     * @param ready        the reusable set to fill; grown (not reallocated per call) as needed
     * @return the number of ready fds, as {@code ready.size()}
     */
    int wait(long timeoutNanos, ReadySet ready);

    /**
     * @return an fd that is readable whenever a monitored fd is ready (the epoll fd), so a parent
     *         loop can wait on this monitor; -1 when the backend has none (poll)
     */
    int pollableFd();

    /** Releases the monitor's kernel resources; idempotent. The monitored fds are not closed. */
    @Override
    void close();
}
