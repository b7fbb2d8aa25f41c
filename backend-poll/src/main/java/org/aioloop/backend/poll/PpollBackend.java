package org.aioloop.backend.poll;

import org.aioloop.api.BackendUnavailableException;
import org.aioloop.api.backend.FdMonitor;
import org.aioloop.api.backend.PollBackend;
import org.aioloop.posix.Posix;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code "poll"} backend (rank 10): QEMU's fdmon-poll. Each monitor keeps a native
 * {@code struct pollfd} array and waits with {@code ppoll(2)}, so timeouts have nanosecond
 * precision. Always correct, O(number of fds) per wait; the fallback when epoll is unavailable.
 * Stateless and thread-safe; a monitor is confined to its context's home thread.
 */
@Component(service = PollBackend.class, property = {PollBackend.PROP_NAME + "=poll", "service.ranking:Integer=10"})
public final class PpollBackend implements PollBackend {
    /** This backend's name. */
    public static final String NAME = "poll";
    /** This backend's rank. */
    public static final int RANK = 10;

    /** Creates the backend (used by DS and by {@link java.util.ServiceLoader}). */
    public PpollBackend() {
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
        return NativeCheck.reason();
    }

    @Override
    public FdMonitor open() {
        String reason = unavailableReason();
        if (reason != null) {
            throw new BackendUnavailableException(NAME, reason);
        }
        return new PollMonitor(NAME);
    }

    @Override
    public String toString() {
        return "PollBackend[" + NAME + ", rank " + RANK + "]";
    }

    /** Loads the native layer once and remembers whether it worked. */
    private static final class NativeCheck {
        private static final String REASON = check();

        private NativeCheck() {
        }

        static String reason() {
            return REASON;
        }

        private static String check() {
            if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("linux")) {
                return "ppoll backend needs Linux, this is " + System.getProperty("os.name");
            }
            try {
                Posix.isOpen(0);
                return null;
            } catch (LinkageError | RuntimeException e) {
                return "the native libc binding does not load: " + e;
            }
        }
    }
}
