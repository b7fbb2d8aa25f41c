package org.aioloop.api;

/**
 * Told when a callback (fd handler, bottom half, timer, source) throws. The loop has already
 * isolated the failure and keeps running.
 */
@FunctionalInterface
public interface CallbackErrorHandler {
    /**
     * @param context the context that ran the callback
     * @param what    names the callback, e.g. {@code "fd 12 read"}, {@code "bh 'flush'"}
     * @param error   what it threw
     */
    void onError(String context, String what, Throwable error);
}
