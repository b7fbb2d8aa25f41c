package org.aioloop.api.backend;

import org.aioloop.api.BackendUnavailableException;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A named fd-monitoring backend ({@code "poll"}, {@code "epoll"}): a factory that opens one
 * {@link FdMonitor} per context. Published as an OSGi service (property {@link #PROP_NAME}) and as a
 * {@link java.util.ServiceLoader} provider.
 *
 * <p>Implementations are stateless and thread-safe; all state lives in the monitors.
 */
@ConsumerType
public interface PollBackend {
    /** Service property carrying {@link #name()}, for target filters such as {@code (backend=epoll)}. */
    String PROP_NAME = "backend";

    /**
     * @return the backend's unique name, e.g. {@code "epoll"}
     */
    String name();

    /**
     * @return the preference among available backends; higher wins when none is configured (epoll
     *         100, poll 10)
     */
    int rank();

    /**
     * Checks, cheaply and without side effects, whether this backend works here (the OS has the
     * system calls, the native library loads).
     *
     * @return null when available, else a sentence saying why not
     */
    String unavailableReason();

    /**
     * @return whether {@link #unavailableReason()} is null
     */
    default boolean isAvailable() {
        return unavailableReason() == null;
    }

    /**
     * Opens a new, empty monitor. The caller owns it and must close it.
     *
     * @return a monitor
     * @throws BackendUnavailableException if the backend is unavailable or the open failed
     */
    FdMonitor open();
}
