package org.aioloop.bench.peer;

/**
 * One event-loop implementation under comparison (aioloop on a backend, Netty on a transport, a
 * plain JDK selector loop). A peer is a factory of {@link BenchLoop}s; every scenario drives the
 * loops only through that interface, so the scenario's definition is the same for every peer.
 */
public interface Peer {
    /**
     * @return the short name used in tables and on the command line, e.g. {@code "netty-epoll"}
     */
    String name();

    /**
     * @return whether this is one of aioloop's own configurations (the numerator of the ratios)
     */
    boolean isAioloop();

    /**
     * @return whether its loops can change the fd-monitoring backend while running (S6)
     */
    default boolean canSwitchBackend() {
        return false;
    }

    /**
     * @param scenarioId a scenario id such as {@code "S3"}
     * @return whether this peer takes part in it (a variant may exist for one scenario only)
     */
    default boolean takesPart(String scenarioId) {
        return true;
    }

    /**
     * Starts a loop on a new thread of its own.
     *
     * @param threadName the loop thread's name
     * @return the running loop; the caller closes it
     * @throws Exception if the loop cannot start
     */
    BenchLoop start(String threadName) throws Exception;
}
