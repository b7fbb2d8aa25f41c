package org.aioloop.core.pool;

/**
 * A snapshot of a {@link ThreadPool}'s counters.
 *
 * @param queued     work waiting for a worker
 * @param active     work running on a worker now
 * @param threads    live worker threads
 * @param idle       workers waiting for work
 * @param minThreads the configured minimum
 * @param maxThreads the configured maximum
 * @param completed  work whose outcome was delivered through the completion executor
 */
public record ThreadPoolStats(int queued, int active, int threads, int idle, int minThreads, int maxThreads,
        long completed) {
}
