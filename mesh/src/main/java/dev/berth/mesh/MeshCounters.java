package dev.berth.mesh;

import dev.berth.scoreboard.CounterFamily;
import dev.berth.scoreboard.Counters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the proxy counts for status and metrics: calls by group, answering node and outcome
 * ({@code berth_mesh_calls_total{group,node,outcome}}), and call durations by group in Prometheus
 * histogram buckets ({@code berth_mesh_call_seconds{group}}). Each count goes twice: into this
 * process's own adders, for {@code berth mesh status}, and into the scoreboard {@link Counters} the
 * master reads for {@code /metrics} (and keeps when the proxy dies). Thread-safe; wait-free to
 * update once a label set has been seen.
 */
final class MeshCounters {

    /** Upper bounds of the duration buckets, in seconds. */
    static final double[] BUCKETS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
        0.5, 1, 2.5, 5, 10};

    private final Counters shared;
    private final Map<List<String>, Count> calls = new ConcurrentHashMap<>();
    private final Map<String, Histogram> durations = new ConcurrentHashMap<>();

    private record Count(LongAdder here, Counters.Counter shared) {
    }

    /** @param shared the scoreboard counters of the proxy's slot, {@link Counters#none()} when it has none */
    MeshCounters(Counters shared) {
        this.shared = shared;
    }

    /** One histogram: cumulative counts per bucket, plus the sum. */
    record Histogram(LongAdder[] buckets, LongAdder count, java.util.concurrent.atomic.DoubleAdder sum,
                     Counters.Histogram shared) {
        Histogram(Counters.Histogram shared) {
            this(newAdders(), new LongAdder(), new java.util.concurrent.atomic.DoubleAdder(), shared);
        }

        private static LongAdder[] newAdders() {
            LongAdder[] adders = new LongAdder[BUCKETS.length];
            for (int i = 0; i < adders.length; i++) {
                adders[i] = new LongAdder();
            }
            return adders;
        }
    }

    void record(String group, Outcome outcome, long nanos) {
        Count count = calls.computeIfAbsent(List.of(group, outcome.node(), outcome.label()), k -> new Count(
                new LongAdder(), shared.counter(CounterFamily.MESH_CALLS, group, outcome.node(), outcome.label())));
        count.here().increment();
        count.shared().increment();
        Histogram h = durations.computeIfAbsent(group, g -> new Histogram(
                shared.histogram(CounterFamily.MESH_CALL_SECONDS, group)));
        h.shared().observe(nanos);
        double seconds = nanos / 1e9;
        for (int i = 0; i < BUCKETS.length; i++) {
            if (seconds <= BUCKETS[i]) {
                h.buckets()[i].increment();
            }
        }
        h.count().increment();
        h.sum().add(seconds);
    }

    /** {@code group -> node -> outcome -> count}, sorted. */
    Map<String, Map<String, Map<String, Long>>> calls() {
        Map<String, Map<String, Map<String, Long>>> out = new TreeMap<>();
        calls.forEach((k, v) -> out.computeIfAbsent(k.get(0), g -> new TreeMap<>())
                .computeIfAbsent(k.get(1).isEmpty() ? "-" : k.get(1), n -> new TreeMap<>()).put(k.get(2), v.here().sum()));
        return out;
    }

    /** {@code group -> {buckets: {le: count}, count, sum}}. */
    Map<String, Object> durations() {
        Map<String, Object> out = new TreeMap<>();
        durations.forEach((group, h) -> {
            Map<String, Long> buckets = new LinkedHashMap<>();
            for (int i = 0; i < BUCKETS.length; i++) {
                buckets.put(Double.toString(BUCKETS[i]), h.buckets()[i].sum());
            }
            out.put(group, Map.of("buckets", buckets, "count", h.count().sum(), "sum", h.sum().sum()));
        });
        return out;
    }
}
