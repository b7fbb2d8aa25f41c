package org.aioloop.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.HdrHistogram.Histogram;

/**
 * Everything a side-by-side run measured: the values of every repeat, merged latency histograms
 * and remarks, in the order they arrived. Used from the runner's thread only.
 */
public final class Results {
    private final Map<MetricKey, Map<String, List<Double>>> values = new LinkedHashMap<>();
    private final Map<String, Map<String, Histogram>> histograms = new LinkedHashMap<>();
    private final Set<String> peers = new LinkedHashSet<>();
    private final List<String> notes = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();

    /**
     * @param peer     the peer name the sink records for
     * @param scenario the scenario id
     * @return a sink for one run
     */
    public ResultSink sink(String peer, String scenario) {
        peers.add(peer);
        return new ResultSink() {
            @Override
            public void value(String metric, String unit, Better better, double value) {
                values.computeIfAbsent(new MetricKey(scenario, metric, unit, better), k -> new LinkedHashMap<>())
                        .computeIfAbsent(peer, k -> new ArrayList<>()).add(value);
            }

            @Override
            public void histogram(String series, Histogram h) {
                Map<String, Histogram> byPeer = histograms.computeIfAbsent(series, k -> new LinkedHashMap<>());
                Histogram merged = byPeer.get(peer);
                if (merged == null) {
                    byPeer.put(peer, h.copy());
                } else {
                    merged.add(h);
                }
            }

            @Override
            public void note(String text) {
                String line = scenario + " " + peer + ": " + text;
                if (!notes.contains(line)) {
                    notes.add(line);
                }
            }
        };
    }

    /**
     * Records that a run failed; the table shows it and the run goes on.
     *
     * @param peer     the peer
     * @param scenario the scenario id
     * @param error    what went wrong
     */
    public void failed(String peer, String scenario, Throwable error) {
        peers.add(peer);
        failures.add(scenario + " " + peer + ": " + error);
    }

    /**
     * @return metric → peer → values of each repeat
     */
    public Map<MetricKey, Map<String, List<Double>>> values() {
        return values;
    }

    /**
     * @return chart series → peer → merged histogram (nanoseconds)
     */
    public Map<String, Map<String, Histogram>> histograms() {
        return histograms;
    }

    /**
     * @return every peer that ran, in order of first appearance
     */
    public Set<String> peers() {
        return peers;
    }

    /**
     * @return remarks, without duplicates
     */
    public List<String> notes() {
        return notes;
    }

    /**
     * @return failed runs
     */
    public List<String> failures() {
        return failures;
    }
}
