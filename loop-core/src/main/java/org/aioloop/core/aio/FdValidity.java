package org.aioloop.core.aio;

import org.aioloop.api.InvalidFdException;
import org.aioloop.api.NativeCallException;
import org.aioloop.posix.Posix;

/**
 * Checks that an fd is open when a registration from another thread cannot be applied to the
 * monitor at once (the monitor is confined to the home thread): the caller still gets a typed error
 * for a closed fd.
 */
final class FdValidity {
    private FdValidity() {
    }

    static void requireOpen(int fd) {
        try {
            Posix.fcntl(fd, Posix.F_GETFD, 0);
        } catch (NativeCallException e) {
            throw new InvalidFdException(fd, "not open (" + e.errnoName() + ")", e);
        }
    }
}
