package org.aioloop.core.host;

import org.aioloop.api.AioContext;

/**
 * Told when the host gains or loses a context (the OSGi component publishes each context as a
 * service). Called on the thread that changed the host, never with a host lock held that the loop
 * threads need.
 */
public interface ContextListener {
    /**
     * @param context    the new context
     * @param threadName its home thread's name
     */
    void contextAdded(AioContext context, String threadName);

    /**
     * @param context the context that is going away (still open during the call)
     */
    void contextRemoved(AioContext context);
}
