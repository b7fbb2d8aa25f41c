package org.aioloop.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A GSource-style event source ({@code GSourceFuncs}) attached to a {@link MainContext}. The
 * context calls {@code prepare} before it waits, {@code check} after, and {@code dispatch} for the
 * sources that are ready at the highest ready priority, all on the context's owner thread.
 *
 * <p>Published as an OSGi service, a source is attached to the host's main context by the core.
 */
@ConsumerType
public interface EventSource {
    /** Service property: the priority to attach with (Integer; default {@link MainContext#PRIORITY_DEFAULT}). */
    String PROP_PRIORITY = "aioloop.source.priority";

    /**
     * Called before the wait. Must not run a nested iteration.
     *
     * @param source this source's handle
     * @return 0 if ready now (skip waiting); a positive number of nanoseconds to bound the wait; -1
     *         for no bound of its own
     */
    long prepare(SourceHandle source);

    /**
     * Called after the wait ("some time may have passed since prepare"). Poll-fd results are
     * available through {@link PollFd#revents()}. Must not run a nested iteration.
     *
     * @param source this source's handle
     * @return whether the source is ready
     */
    boolean check(SourceHandle source);

    /**
     * Handles the ready source. May run a nested iteration, attach and destroy sources (itself
     * included).
     *
     * @param source this source's handle
     * @return true to stay attached, false to be destroyed
     */
    boolean dispatch(SourceHandle source);

    /**
     * Called once when the source is destroyed ({@code finalize}); release resources here.
     *
     * @param source this source's handle
     */
    default void onDestroy(SourceHandle source) {
    }
}
