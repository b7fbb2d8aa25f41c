package org.aioloop.posix;

import org.aioloop.api.ContextClosedException;
import org.aioloop.api.FdRegistrationException;
import org.aioloop.api.InvalidFdException;
import org.aioloop.api.IoEvents;
import org.aioloop.api.backend.FdMonitor;

/**
 * The argument checks every {@link org.aioloop.api.backend.FdMonitor} makes before it touches the
 * kernel, with the same typed exceptions and wording in every backend (a caller switching backends
 * sees the same errors). Messages are built only when a check fails.
 */
public final class MonitorChecks {
    private MonitorChecks() {
    }

    /**
     * @param closed      whether the monitor was closed
     * @param backendName the monitor's backend, for the message
     * @throws ContextClosedException if closed
     */
    public static void checkOpen(boolean closed, String backendName) {
        if (closed) {
            throw new ContextClosedException("fd monitor (" + backendName + ")");
        }
    }

    /**
     * @param fd an fd number
     * @throws InvalidFdException if negative
     */
    public static void checkFd(int fd) {
        if (fd < 0) {
            throw new InvalidFdException(fd, "negative fd");
        }
    }

    /**
     * @param fd     the fd the mask is for (named in the message)
     * @param events an interest mask of {@link IoEvents} bits
     * @throws InvalidFdException if the mask is 0 or has bits outside {@link IoEvents#INTEREST_MASK}
     */
    public static void checkEvents(int fd, int events) {
        if (events == 0) {
            throw new InvalidFdException(fd, "events mask is 0");
        }
        if ((events & ~(IoEvents.INTEREST_MASK | FdMonitor.EDGE_TRIGGERED)) != 0) {
            throw new InvalidFdException(fd, "events mask " + IoEvents.describe(events)
                    + " has bits outside " + IoEvents.describe(IoEvents.INTEREST_MASK) + " and EDGE_TRIGGERED");
        }
        if ((events & IoEvents.INTEREST_MASK) == 0) {
            throw new InvalidFdException(fd, "events mask has no interest bit (only EDGE_TRIGGERED)");
        }
    }

    /**
     * @param monitored   whether the monitor has {@code fd}
     * @param fd          the fd being modified or removed
     * @param backendName the monitor's backend, for the message
     * @throws FdRegistrationException if {@code fd} is not monitored
     */
    public static void checkMonitored(boolean monitored, int fd, String backendName) {
        if (!monitored) {
            throw new FdRegistrationException(fd, "not monitored by the " + backendName + " backend");
        }
    }

    /**
     * @param monitored   whether the monitor has {@code fd} already
     * @param fd          the fd being added
     * @param backendName the monitor's backend, for the message
     * @throws FdRegistrationException if {@code fd} is monitored already
     */
    public static void checkNotMonitored(boolean monitored, int fd, String backendName) {
        if (monitored) {
            throw new FdRegistrationException(fd, "already monitored by the " + backendName + " backend");
        }
    }
}
