package org.aioloop.api;

/**
 * A home-thread-only operation ({@code poll}, dispatch, thread-pool submission, a MainContext
 * iteration without ownership) was called from another thread.
 */
public class WrongThreadException extends AioException {
    private static final long serialVersionUID = 1L;

    /**
     * @param operation what was called
     * @param context   the context's name
     * @param home      the context's home thread, or null if it has none yet
     */
    public WrongThreadException(String operation, String context, Thread home) {
        super(operation + " on context '" + context + "' must run on its home thread "
                + (home == null ? "(none)" : "'" + home.getName() + "'") + ", not on '"
                + Thread.currentThread().getName() + "'");
    }
}
