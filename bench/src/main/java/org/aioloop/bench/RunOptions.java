package org.aioloop.bench;

import java.nio.file.Path;
import java.util.List;

import org.aioloop.bench.peer.Peer;
import org.aioloop.bench.peer.Peers;
import org.aioloop.bench.scenario.Scenario;
import org.aioloop.bench.scenario.Scenarios;

/**
 * The runner's command line, parsed. Unknown options, scenarios and peers are rejected by name.
 *
 * <pre>
 * --smoke              tiny counts (what the test suite runs)
 * --scenarios S1,S3    a subset of S1..S6, in that order
 * --peers a,b          a subset of the peers (see --list), in that order
 * --repeats N          runs per scenario and peer (default 3)
 * --echo-seconds X     S5/S6 measuring time (default 10)
 * --out DIR            output directory (default bench/results)
 * --list               print scenarios and peers and exit
 * </pre>
 *
 * @param config    counts, repeats and output directory
 * @param scenarios what to run
 * @param peers     on which peers
 * @param list      whether only to list scenarios and peers
 */
public record RunOptions(BenchConfig config, List<Scenario> scenarios, List<Peer> peers, boolean list) {
    /** The default output directory, relative to the repository root. */
    public static final Path DEFAULT_OUT = Path.of("bench", "results");

    /**
     * @param args the command line
     * @return the options
     * @throws IllegalArgumentException naming the option, scenario or peer at fault
     */
    public static RunOptions parse(String[] args) {
        boolean smoke = false;
        boolean list = false;
        Integer repeats = null;
        Double echoSeconds = null;
        Path out = DEFAULT_OUT;
        List<Scenario> scenarios = Scenarios.all();
        List<Peer> peers = Peers.all();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--smoke" -> smoke = true;
                case "--list" -> list = true;
                case "--scenarios" -> scenarios = Scenarios.select(value(args, ++i, a));
                case "--peers" -> peers = Peers.select(value(args, ++i, a));
                case "--repeats" -> repeats = Integer.parseInt(value(args, ++i, a));
                case "--echo-seconds" -> echoSeconds = Double.parseDouble(value(args, ++i, a));
                case "--out" -> out = Path.of(value(args, ++i, a));
                default -> throw new IllegalArgumentException("unknown option " + a
                        + " (known: --smoke --scenarios --peers --repeats --echo-seconds --out --list)");
            }
        }
        BenchConfig config = smoke ? BenchConfig.smoke(out) : BenchConfig.full(out);
        if (repeats != null) {
            config = config.withRepeats(repeats);
        }
        if (echoSeconds != null) {
            config = config.withEchoSeconds(echoSeconds);
        }
        return new RunOptions(config, scenarios, peers, list);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
