package org.aioloop.core.main;

/**
 * Lets a caller that drives a {@link MainContextImpl} by hand (the main loop's
 * {@code os_host_main_loop_wait}) share the context's single wait: add its own fds and lower the
 * timeout before the wait, and read their results right after it, before any source is dispatched
 * (a nested iteration in a dispatch would reuse the wait set).
 */
interface WaitHook {
    /**
     * Called after the sources were prepared and queried, just before the wait.
     *
     * @param waitSet        add fds here
     * @param sourcesTimeout the wait bound the sources asked for (ns, -1 infinite, 0 ready)
     * @return the wait bound to use (ns, -1 infinite)
     */
    long fill(WaitSet waitSet, long sourcesTimeout);

    /**
     * Called right after the wait, before check and dispatch.
     *
     * @param waitSet read the results here
     * @param result  the number of ready fds, or -1 if the wait failed
     */
    void waited(WaitSet waitSet, int result);
}
