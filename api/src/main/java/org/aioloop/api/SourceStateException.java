package org.aioloop.api;

/**
 * An {@link EventSource} was used against its life cycle: attached twice or to two contexts,
 * destroyed twice in a way that matters, or given an invalid priority.
 */
public class SourceStateException extends AioException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong, naming the source
     */
    public SourceStateException(String message) {
        super(message);
    }
}
