package org.aioloop.bench.scenario;

import java.util.ArrayList;
import java.util.List;

/**
 * The scenarios S1–S6 in order, and selection by id.
 */
public final class Scenarios {
    private Scenarios() {
    }

    /**
     * @return every scenario, S1 first
     */
    public static List<Scenario> all() {
        return List.of(new WakeupScenario(), new DispatchScenario(), new IdleScalingScenario(),
                new TimerScenario(), new EchoScenario(), new BackendSwitchScenario());
    }

    /**
     * @param csv ids such as {@code "S1,S3"} (case-insensitive)
     * @return those scenarios in the order given
     * @throws IllegalArgumentException naming an unknown id
     */
    public static List<Scenario> select(String csv) {
        List<Scenario> out = new ArrayList<>();
        for (String id : csv.split(",")) {
            String want = id.trim();
            out.add(all().stream().filter(s -> s.id().equalsIgnoreCase(want)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown scenario '" + want + "' (S1..S6)")));
        }
        return out;
    }
}
