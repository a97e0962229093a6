package dev.berth.admin;

import dev.berth.master.MasterSnapshot;
import dev.berth.master.Status;
import dev.berth.scoreboard.CounterFamily;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /metrics}: the master's snapshot as Prometheus text (format 0.0.4), built as the
 * Prometheus Java client's metric snapshots and written by its text writer. The families and
 * their meaning are listed in docs/metrics.md. Families fed by the children's counters appear once
 * a child has counted into them. Pure: one call per scrape, on the admin thread.
 */
final class MetricsText {

    static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;
    static final List<String> STATES = List.of("starting", "ready", "draining", "killing", "spare-starting", "spare");
    private static final PrometheusTextFormatWriter WRITER =
            PrometheusTextFormatWriter.builder().setIncludeCreatedTimestamps(false).build();

    private MetricsText() {
    }

    /** The exposition of {@code snapshot}, with the start times seen so far. */
    static byte[] render(MasterSnapshot snapshot, StartTimes starts) {
        List<MetricSnapshot> families = new ArrayList<>(PoolFamilies.of(snapshot.status()));
        families.add(startSeconds(starts));
        families.addAll(counted(snapshot));
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            WRITER.write(out, new MetricSnapshots(families), EscapingScheme.UNDERSCORE_ESCAPING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static MetricSnapshot startSeconds(StartTimes starts) {
        double[] bounds = new double[StartTimes.BOUNDS.length + 1];
        System.arraycopy(StartTimes.BOUNDS, 0, bounds, 0, StartTimes.BOUNDS.length);
        bounds[bounds.length - 1] = Double.POSITIVE_INFINITY;
        return HistogramSnapshot.builder().name("berth_worker_start_seconds")
                .help("Time from spawning a worker or dispatcher JVM to its Ready message.")
                .dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                        .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, starts.counts()))
                        .sum(starts.sumSeconds()).build())
                .build();
    }

    /** The children's labelled counters, one family per {@link CounterFamily} that has data. */
    private static List<MetricSnapshot> counted(MasterSnapshot snapshot) {
        Map<CounterFamily, List<MasterSnapshot.CounterTotal>> byFamily = new LinkedHashMap<>();
        for (CounterFamily f : CounterFamily.values()) {
            snapshot.counters().stream().filter(t -> t.family() == f)
                    .forEach(t -> byFamily.computeIfAbsent(f, k -> new ArrayList<>()).add(t));
        }
        List<MetricSnapshot> out = new ArrayList<>();
        byFamily.forEach((family, totals) -> out.add(family.histogram() ? histogram(family, totals) : counter(family, totals)));
        if (!snapshot.countersOverflowed().isEmpty()) {
            CounterSnapshot.Builder lost = CounterSnapshot.builder().name("berth_scoreboard_increments_lost")
                    .help("Counter increments children lost because their scoreboard counters area was full.");
            snapshot.countersOverflowed().forEach((pool, n) -> lost.dataPoint(CounterSnapshot.CounterDataPointSnapshot
                    .builder().labels(Labels.of("pool", pool)).value(n).build()));
            out.add(lost.build());
        }
        return out;
    }

    private static MetricSnapshot counter(CounterFamily family, List<MasterSnapshot.CounterTotal> totals) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(family.metric().replaceFirst("_total$", ""))
                .help(family.help());
        totals.forEach(t -> b.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                .labels(labels(family, t)).value(t.values()[0]).build()));
        return b.build();
    }

    private static MetricSnapshot histogram(CounterFamily family, List<MasterSnapshot.CounterTotal> totals) {
        double[] given = family.buckets();
        double[] bounds = java.util.Arrays.copyOf(given, given.length + 1);
        bounds[given.length] = Double.POSITIVE_INFINITY;
        HistogramSnapshot.Builder b = HistogramSnapshot.builder().name(family.metric()).help(family.help());
        for (MasterSnapshot.CounterTotal t : totals) {
            long[] counts = java.util.Arrays.copyOf(t.values(), bounds.length);
            b.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder().labels(labels(family, t))
                    .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts))
                    .sum(t.values()[bounds.length] / 1e9).build());
        }
        return b.build();
    }

    private static Labels labels(CounterFamily family, MasterSnapshot.CounterTotal total) {
        Labels labels = Labels.of("pool", total.pool());
        for (int i = 0; i < family.labels().size(); i++) {
            labels = labels.add(family.labels().get(i), total.labels().get(i));
        }
        return labels;
    }

    /** Gauges and counters about pools and workers, from the status. */
    static final class PoolFamilies {

        private PoolFamilies() {
        }

        static List<MetricSnapshot> of(Status status) {
            GaugeSnapshot.Builder workers = gauge("berth_workers", "Workers per pool and state.");
            GaugeSnapshot.Builder active = gauge("berth_connections_active", "Connections open in the pool's workers.");
            GaugeSnapshot.Builder load = gauge("berth_pool_load_ratio",
                    "Busy share of the pool's ready workers' event loops over the last second (0 to 1).");
            GaugeSnapshot.Builder size = gauge("berth_pool_size", "How many workers the pool is kept at now.");
            GaugeSnapshot.Builder min = gauge("berth_pool_size_min", "The pool's configured minimum of workers.");
            GaugeSnapshot.Builder max = gauge("berth_pool_size_max", "The pool's configured maximum of workers.");
            GaugeSnapshot.Builder throttled = gauge("berth_pool_throttled",
                    "1 while the pool is crash-looping and its restarts are slowed.");
            GaugeSnapshot.Builder queue = gauge("berth_handoff_queue",
                    "Connections the pool's dispatcher holds that wait for a worker (accept: handoff).");
            GaugeSnapshot.Builder inFlight = gauge("berth_handoff_in_flight",
                    "Connections sent to workers and not yet acknowledged (accept: handoff).");
            CounterSnapshot.Builder restarts = CounterSnapshot.builder().name("berth_worker_restarts")
                    .help("Workers that left their pool since the master started, by cause.");
            GaugeSnapshot.Builder workerActive = gauge("berth_worker_connections_active", "Connections open in one worker.");
            GaugeSnapshot.Builder workerLoad = gauge("berth_worker_load_ratio", "Busy share of one worker's event loops.");
            GaugeSnapshot.Builder beat = gauge("berth_worker_heartbeat_age_seconds",
                    "Age of one worker's oldest thread heartbeat (a hang shows as a growing age).");
            for (Status.PoolStatus p : status.pools()) {
                Labels pool = Labels.of("pool", p.name());
                for (String state : STATES) {
                    workers.dataPoint(point(pool.add("state", state),
                            p.workers().stream().filter(w -> w.state().equals(state)).count()));
                }
                active.dataPoint(point(pool, p.workers().stream().mapToLong(Status.WorkerStatus::active).sum()));
                load.dataPoint(point(pool, p.loadPerMille() / 1000.0));
                size.dataPoint(point(pool, p.size()));
                min.dataPoint(point(pool, p.min()));
                max.dataPoint(point(pool, p.max()));
                throttled.dataPoint(point(pool, p.throttled() ? 1 : 0));
                if ("handoff".equals(p.accept())) {
                    queue.dataPoint(point(pool, p.dispatchers().stream().mapToLong(Status.DispatcherStatus::queued).sum()));
                    inFlight.dataPoint(point(pool, p.dispatchers().stream().mapToLong(Status.DispatcherStatus::inFlight).sum()));
                }
                p.restartsByCause().forEach((cause, n) -> restarts.dataPoint(CounterSnapshot.CounterDataPointSnapshot
                        .builder().labels(pool.add("cause", cause)).value(n).build()));
                for (Status.WorkerStatus w : p.workers()) {
                    Labels one = pool.add("worker", Integer.toString(w.id())).add("generation", Long.toString(w.generation()))
                            .add("pid", Long.toString(w.pid()));
                    workerActive.dataPoint(point(one, w.active()));
                    workerLoad.dataPoint(point(one, w.loadPerMille() / 1000.0));
                    if (w.heartbeatAgeMs() >= 0) {
                        beat.dataPoint(point(one, w.heartbeatAgeMs() / 1000.0));
                    }
                }
            }
            GaugeSnapshot.Builder generation = gauge("berth_master_generation", "The config generation the master runs.");
            generation.dataPoint(point(Labels.EMPTY, status.master().generation()));
            GaugeSnapshot.Builder uptime = gauge("berth_master_uptime_seconds", "Seconds since the master started.");
            uptime.dataPoint(point(Labels.EMPTY, status.master().uptimeMs() / 1000.0));
            return List.of(workers.build(), active.build(), load.build(), size.build(), min.build(), max.build(),
                    throttled.build(), queue.build(), inFlight.build(), restarts.build(), workerActive.build(),
                    workerLoad.build(), beat.build(), generation.build(), uptime.build());
        }

        private static GaugeSnapshot.Builder gauge(String name, String help) {
            return GaugeSnapshot.builder().name(name).help(help);
        }

        private static GaugeSnapshot.GaugeDataPointSnapshot point(Labels labels, double value) {
            return GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
        }
    }
}
