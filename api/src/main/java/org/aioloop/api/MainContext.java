package org.aioloop.api;

/**
 * GLib's {@code GMainContext}: a set of {@link EventSource}s with priorities, iterated by its owner
 * thread. Only the highest ready priority is dispatched in one iteration.
 */
public interface MainContext {
    /** {@code G_PRIORITY_HIGH}. */
    int PRIORITY_HIGH = -100;
    /** {@code G_PRIORITY_DEFAULT}. */
    int PRIORITY_DEFAULT = 0;
    /** {@code G_PRIORITY_HIGH_IDLE}. */
    int PRIORITY_HIGH_IDLE = 100;
    /** {@code G_PRIORITY_DEFAULT_IDLE}. */
    int PRIORITY_DEFAULT_IDLE = 200;
    /** {@code G_PRIORITY_LOW}. */
    int PRIORITY_LOW = 300;

    /**
     * Attaches a source ({@code g_source_attach}). Any thread; wakes the context.
     *
     * @param source   the source; an instance can be attached once, to one context
     * @param name     for diagnostics
     * @param priority smaller runs first
     * @return the source's handle
     * @throws SourceStateException if the source is already attached (here or elsewhere)
     */
    SourceHandle attach(EventSource source, String name, int priority);

    /**
     * Runs one iteration: prepare, wait (if {@code mayBlock} and nothing is ready), check, dispatch
     * ({@code g_main_context_iteration}). Acquires the context for the calling thread.
     *
     * @param mayBlock whether to wait
     * @return whether a source was dispatched
     * @throws WrongThreadException if another thread owns the context
     */
    boolean iteration(boolean mayBlock);

    /**
     * @return whether a source is ready now ({@code g_main_context_pending})
     */
    boolean pending();

    /**
     * Wakes the owner if it waits, or makes its next wait return at once
     * ({@code g_main_context_wakeup}). Any thread.
     */
    void wakeup();

    /**
     * Makes the calling thread the owner (recursive), if no other thread owns the context.
     *
     * @return whether the caller owns it now
     */
    boolean acquire();

    /** Releases one level of ownership taken by {@link #acquire()}. */
    void release();

    /**
     * @return whether the calling thread owns the context
     */
    boolean isOwner();

    /**
     * @return the number of attached, not destroyed sources
     */
    int sourceCount();
}
