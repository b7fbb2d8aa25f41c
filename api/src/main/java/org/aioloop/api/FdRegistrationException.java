package org.aioloop.api;

/**
 * A monitor-level registration error: an fd added twice, or modified or removed without having been
 * added. The monitor's other registrations are untouched.
 */
public class FdRegistrationException extends InvalidFdException {
    private static final long serialVersionUID = 1L;

    /**
     * @param fd     the fd at fault
     * @param reason what was wrong, e.g. "already registered"
     */
    public FdRegistrationException(int fd, String reason) {
        super(fd, reason);
    }
}
