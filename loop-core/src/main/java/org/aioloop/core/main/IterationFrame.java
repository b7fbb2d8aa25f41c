package org.aioloop.core.main;

/**
 * The state of one (possibly nested) iteration of a {@link MainContextImpl}: what GLib keeps in the
 * context for the iteration in progress. One frame per nesting depth is kept and reused, so an
 * iteration allocates nothing once its depth has been reached before.
 */
final class IterationFrame {
    /** The priority of the best ready source after prepare; {@link Integer#MAX_VALUE} if none. */
    int maxPriority;
    /** The wait bound the sources asked for: 0 if one is ready, -1 for none. */
    long timeoutNanos;
    /** The context's poll-set version when the set was queried (GLib's {@code poll_changed}). */
    long pollVersion;
    /** Sources to dispatch in this iteration, in priority order. */
    SourceHandleImpl[] pending = new SourceHandleImpl[8];
    int pendingCount;

    void addPending(SourceHandleImpl s) {
        if (pendingCount == pending.length) {
            pending = java.util.Arrays.copyOf(pending, pendingCount * 2);
        }
        pending[pendingCount++] = s;
    }

    void clearPending() {
        for (int i = 0; i < pendingCount; i++) {
            pending[i] = null;
        }
        pendingCount = 0;
    }
}
