package org.aioloop.backend.epoll;

import java.util.Locale;
import org.aioloop.api.BackendUnavailableException;
import org.aioloop.api.NativeCallException;
import org.aioloop.api.backend.FdMonitor;
import org.aioloop.api.backend.PollBackend;
import org.aioloop.posix.Posix;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code "epoll"} backend (rank 100): QEMU's fdmon-epoll. O(ready fds) per wait; each monitor's
 * epoll fd is its {@link FdMonitor#pollableFd()}, so a parent loop can wait on a child context.
 * Timeouts keep nanosecond precision through {@code epoll_pwait2} (Linux 5.11) or, without it,
 * through {@code ppoll} on the epoll fd followed by a non-blocking {@code epoll_wait}.
 * Stateless and thread-safe; a monitor is confined to its context's home thread.
 */
@Component(service = PollBackend.class, property = {PollBackend.PROP_NAME + "=epoll", "service.ranking:Integer=100"})
public final class EpollBackend implements PollBackend {
    /** This backend's name. */
    public static final String NAME = "epoll";
    /** This backend's rank. */
    public static final int RANK = 100;

    private final boolean allowPwait2;

    /** Creates the backend (used by DS and by {@link java.util.ServiceLoader}). */
    public EpollBackend() {
        this(true);
    }

    /**
     * @param allowPwait2 false to force the ppoll-on-epoll-fd path even where epoll_pwait2 exists
     *                    (tests run the contract both ways)
     */
    EpollBackend(boolean allowPwait2) {
        this.allowPwait2 = allowPwait2;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int rank() {
        return RANK;
    }

    @Override
    public String unavailableReason() {
        return NativeCheck.REASON;
    }

    @Override
    public FdMonitor open() {
        String reason = unavailableReason();
        if (reason != null) {
            throw new BackendUnavailableException(NAME, reason);
        }
        try {
            return new EpollMonitor(NAME, allowPwait2 && Posix.hasEpollPwait2());
        } catch (NativeCallException e) {
            throw new BackendUnavailableException(NAME, "cannot create an epoll instance: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "PollBackend[" + NAME + ", rank " + RANK + (allowPwait2 ? "" : ", no epoll_pwait2") + "]";
    }

    /** Checks once that the native layer loads and epoll works (create and close one instance). */
    private static final class NativeCheck {
        static final String REASON = check();

        private NativeCheck() {
        }

        private static String check() {
            if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
                return "epoll needs Linux, this is " + System.getProperty("os.name");
            }
            try {
                Posix.close(Posix.epollCreate1(Posix.EPOLL_CLOEXEC));
                return null;
            } catch (NativeCallException e) {
                return "epoll_create1 failed: " + e.getMessage();
            } catch (LinkageError | RuntimeException e) {
                return "the native libc binding does not load: " + e;
            }
        }
    }
}
