package dev.berth.it;

import dev.berth.it.SoakLoad.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The soak's figures as markdown: what ran, what failed and why, what stored, what grew. */
final class SoakReport {

    private final String text;

    SoakReport(Duration duration, SoakLoad.Tally tally, SoakChaos chaos, SoakSamples samples, int storedIds,
            List<String> partial, List<SoakLoad.Failure> unexplained, long lost, long duplicated, double warm) {
        StringBuilder t = new StringBuilder();
        t.append("# Soak\n\n");
        t.append("`SoakTest` for ").append(duration.toSeconds()).append(" s: one master, pool `soak` of 2 workers x 2 threads ")
                .append("(accept: shared) serving http, smtp into Maildir and a pop3-proxy in front of Dovecot; a reload every 2 s, ")
                .append("a worker SIGKILLed or SIGSTOPped every 5 s (hang-timeout 2 s, the default).\n\n");
        t.append("| operation | ok | goodbye | failed, unserved | broken, served | wrong |\n|---|---:|---:|---:|---:|---:|\n");
        for (String kind : List.of("http-keepalive", "http-close", "smtp", "pop3")) {
            t.append("| ").append(kind);
            for (Outcome o : Outcome.values()) {
                t.append(" | ").append(tally.count(kind, o));
            }
            t.append(" |\n");
        }
        long kills = chaos.strikes.stream().filter(s -> s.signal().equals("SIGKILL")).count();
        t.append("\n- reloads: ").append(chaos.reloads.get()).append(" (refused: ").append(chaos.reloadsRefused.get()).append(")")
                .append("; strikes: ").append(kills).append(" SIGKILL, ").append(chaos.strikes.size() - kills).append(" SIGSTOP\n");
        long[] deaths = chaos.strikes.stream().filter(s -> s.signal().equals("SIGKILL") && s.until() != Long.MAX_VALUE)
                .mapToLong(s -> (s.until() - s.nanos()) / 1_000_000).sorted().toArray();
        if (deaths.length > 0) {
            t.append("- SIGKILL to the process gone (as the test saw it): median ").append(deaths[deaths.length / 2])
                    .append(" ms, max ").append(deaths[deaths.length - 1]).append(" ms\n");
        }
        long unservedUnexplained = unexplained.stream().filter(f -> f.outcome() != Outcome.BROKEN_SERVED).count();
        t.append("- failures while a struck worker could have held the connection: ")
                .append(tally.failures.size() - unexplained.size()).append("; **failures with no such cause: ")
                .append(unservedUnexplained).append(" before any answer, ").append(unexplained.size() - unservedUnexplained)
                .append(" broken after one**\n");
        t.append("- messages acknowledged with 250: ").append(tally.acknowledged.size()).append("; stored: ").append(storedIds)
                .append(" (more than acknowledged is allowed: a 250 lost with its connection); **lost: ").append(lost)
                .append(", stored twice: ").append(duplicated).append(", incomplete: ").append(partial.size()).append("**\n");
        t.append("- generations alive at once, at most: **").append(samples.maxGenerations()).append("**\n");
        t.append(String.format(Locale.ROOT, "- master RSS: %.1f MiB after the warm-up, slope **%+.3f MiB/min**; open fds %.0f -> %.0f, slope %+.3f/min%n",
                samples.median(s -> s.masterRssKiB(), warm, 2 * warm) / 1024, samples.slopePerMinute(s -> s.masterRssKiB() / 1024.0, warm),
                samples.median(s -> s.masterFds(), warm, 2 * warm), samples.median(s -> s.masterFds(), duration.toSeconds() - warm, Double.MAX_VALUE),
                samples.slopePerMinute(s -> s.masterFds(), warm)));
        t.append(String.format(Locale.ROOT, "- worker RSS (mean of live workers): %.1f MiB, slope **%+.3f MiB/min**; open fds %.0f, slope %+.3f/min%n",
                samples.median(s -> s.workerRssKiB(), warm, Double.MAX_VALUE) / 1024, samples.slopePerMinute(s -> s.workerRssKiB() / 1024.0, warm),
                samples.median(s -> s.workerFds(), warm, Double.MAX_VALUE), samples.slopePerMinute(s -> s.workerFds(), warm)));
        t.append("- slopes are least-squares fits over the samples after the first ").append((long) warm).append(" s (one a second)\n");
        if (!unexplained.isEmpty()) {
            t.append("\nFailures with no cause (first 20):\n\n");
            t.append(unexplained.stream().limit(20).map(f -> "- " + f.kind() + " " + f.outcome() + ", ended " + f.ended()
                    + ", " + (f.endNanos() - f.startNanos()) / 1_000_000 + " ms after it began: " + f.detail())
                    .collect(Collectors.joining("\n"))).append('\n');
            t.append("\nStrikes:\n\n").append(chaos.strikes.stream().map(s -> "- " + s.at() + " " + s.signal() + " " + s.pid()
                    + (s.signal().equals("SIGKILL") && s.until() != Long.MAX_VALUE
                            ? ", gone " + (s.until() - s.nanos()) / 1_000_000 + " ms later" : ""))
                    .collect(Collectors.joining("\n"))).append('\n');
        }
        this.text = t.toString();
    }

    String text() {
        return text;
    }

    void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Files.writeString(file, text);
    }

    /** {@code 90s}, {@code 2m}, {@code 1h}, or an ISO-8601 duration. */
    static Duration duration(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        long n = t.length() > 1 ? Long.parseLong(t.substring(0, t.length() - 1).replaceAll("[^0-9]", "0")) : 0;
        return switch (t.charAt(t.length() - 1)) {
            case 's' -> Duration.ofSeconds(n);
            case 'm' -> Duration.ofMinutes(n);
            case 'h' -> Duration.ofHours(n);
            default -> Duration.parse(text);
        };
    }
}
