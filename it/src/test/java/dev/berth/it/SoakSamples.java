package dev.berth.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Samples taken once a second during the soak: the master's RSS and open fds, the mean RSS and fds
 * of its live workers, and the generations those workers belong to. Linear fits give the slopes
 * the report states. Confined to the sampling thread until the run ends.
 */
final class SoakSamples {

    /** One sample; seconds since the start, RSS in KiB. */
    record Sample(double seconds, long masterRssKiB, long masterFds, double workerRssKiB, double workerFds,
                  int workers, int generations) {
    }

    final List<Sample> samples = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final long startNanos = System.nanoTime();
    private final Berth berth;

    SoakSamples(Berth berth) {
        this.berth = berth;
    }

    void sample() {
        long master = berth.master().pid();
        List<Long> workers = new ArrayList<>();
        Set<Long> generations = new HashSet<>();
        for (JsonNode pool : berth.status().path("pools")) {
            for (JsonNode w : pool.path("workers")) {
                long pid = w.path("pid").asLong();
                if (pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    workers.add(pid);
                    generations.add(w.path("generation").asLong());
                }
            }
        }
        double rss = workers.stream().mapToLong(SoakSamples::rssKiB).average().orElse(0);
        double fds = workers.stream().mapToLong(SoakSamples::fds).average().orElse(0);
        samples.add(new Sample((System.nanoTime() - startNanos) / 1e9, rssKiB(master), fds(master), rss, fds,
                workers.size(), generations.size()));
    }

    /** The resident set of a process in KiB, 0 when it is gone. */
    static long rssKiB(long pid) {
        try (Stream<String> lines = Files.lines(Path.of("/proc", Long.toString(pid), "status"))) {
            return lines.filter(l -> l.startsWith("VmRSS:")).findFirst()
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).orElse(0L);
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }

    /** The open descriptors of a process, 0 when it is gone. */
    static long fds(long pid) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return fds.count();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }

    /** The least-squares slope of {@code value} over seconds, per minute, for samples after {@code from} s. */
    double slopePerMinute(java.util.function.ToDoubleFunction<Sample> value, double from) {
        List<Sample> used = samples.stream().filter(s -> s.seconds() >= from).toList();
        if (used.size() < 2) {
            return 0;
        }
        double mx = used.stream().mapToDouble(Sample::seconds).average().orElse(0);
        double my = used.stream().mapToDouble(value).average().orElse(0);
        double sxy = used.stream().mapToDouble(s -> (s.seconds() - mx) * (value.applyAsDouble(s) - my)).sum();
        double sxx = used.stream().mapToDouble(s -> (s.seconds() - mx) * (s.seconds() - mx)).sum();
        return sxx == 0 ? 0 : 60 * sxy / sxx;
    }

    int maxGenerations() {
        return samples.stream().mapToInt(Sample::generations).max().orElse(0);
    }

    /** The median of {@code value} over samples in [from, to) seconds. */
    double median(java.util.function.ToDoubleFunction<Sample> value, double from, double to) {
        double[] v = samples.stream().filter(s -> s.seconds() >= from && s.seconds() < to).mapToDouble(value).sorted().toArray();
        return v.length == 0 ? 0 : v[v.length / 2];
    }
}
