package org.aioloop.api;

/**
 * An operation on something already destroyed: a closed context, a deleted bottom half, a closed
 * timer, notifier, monitor, IOThread or thread pool.
 */
public class ContextClosedException extends AioException {
    private static final long serialVersionUID = 1L;

    /**
     * @param what names the closed object, e.g. {@code "context 'io1'"}
     */
    public ContextClosedException(String what) {
        super(what + " is closed");
    }
}
