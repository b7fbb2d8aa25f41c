package org.aioloop.bench.scenario;

import org.aioloop.bench.BenchConfig;
import org.aioloop.bench.peer.Peer;
import org.aioloop.bench.report.ResultSink;

/**
 * One benchmark scenario of the issue (S1–S6), defined once and run on every peer the same way.
 */
public interface Scenario {
    /**
     * @return the id, e.g. {@code "S1"}
     */
    String id();

    /**
     * @return a one-line description for the report
     */
    String title();

    /**
     * @param peer a peer
     * @return whether the scenario means something for it (S6 needs a live backend switch)
     */
    default boolean appliesTo(Peer peer) {
        return true;
    }

    /**
     * Runs the scenario once on {@code peer} and reports its figures. Bounded in time: every wait
     * has a timeout, and a run that cannot finish throws.
     *
     * @param peer the peer
     * @param cfg  the counts
     * @param sink where the figures go
     * @throws Exception if the run fails
     */
    void run(Peer peer, BenchConfig cfg, ResultSink sink) throws Exception;
}
