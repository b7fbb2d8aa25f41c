package org.aioloop.bench.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.aioloop.bench.BenchConfig;
import org.aioloop.bench.peer.Peer;
import org.aioloop.bench.peer.Peers;
import org.aioloop.bench.report.Results;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The cross-thread handoffs S1 and S3 rely on (a task or a pipe byte answered from another thread)
 * repeated many times with small counts: a lost wakeup in a loop, or in the harness, shows up as a
 * bounded wait that fails, never as a hang.
 */
class HandoffStressTest {
    private static final int ROUNDS = 8;

    @ParameterizedTest
    @ValueSource(strings = {"aioloop-epoll", "aioloop-poll", "aioloop-mainloop", "netty-epoll"})
    void pingPongsNeverStall(String peerName, @TempDir Path out) {
        Peer peer = Peers.select(peerName).get(0);
        BenchConfig cfg = BenchConfig.smoke(out);
        Results r = new Results();
        for (int i = 0; i < ROUNDS; i++) {
            for (Scenario s : List.of(new WakeupScenario(), new IdleScalingScenario())) {
                try {
                    s.run(peer, cfg, r.sink(peerName, s.id()));
                } catch (Exception e) {
                    r.failed(peerName, s.id(), e);
                }
            }
        }
        assertTrue(r.failures().isEmpty(), () -> peerName + ": " + r.failures());
        r.values().forEach((k, byPeer) -> assertEquals(ROUNDS, byPeer.get(peerName).size(), k.toString()));
    }
}
