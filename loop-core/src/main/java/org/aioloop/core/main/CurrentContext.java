package org.aioloop.core.main;

import org.aioloop.api.AioContext;

/**
 * The AioContext of the current thread (QEMU's {@code qemu_get_current_aio_context}): an IOThread's
 * own context inside that IOThread, the main AioContext in the thread that runs the main loop,
 * null elsewhere. Never the iohandler context (QEMU returns the main one there too).
 */
public final class CurrentContext {
    private static final ThreadLocal<AioContext> CURRENT = new ThreadLocal<>();

    private CurrentContext() {
    }

    /**
     * @return the current thread's context, or null
     */
    public static AioContext get() {
        return CURRENT.get();
    }

    /**
     * Sets the current thread's context (allocation-free when it is already set to it).
     *
     * @param context the context, or null to clear
     */
    public static void set(AioContext context) {
        if (context == null) {
            CURRENT.remove();
        } else if (CURRENT.get() != context) {
            CURRENT.set(context);
        }
    }
}
