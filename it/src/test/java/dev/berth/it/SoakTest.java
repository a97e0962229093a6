package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.it.SoakLoad.Outcome;
import dev.berth.testpeers.Dovecot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak (issue 11 item 8, docs/adr/0012): one real master with a pool of two workers serving
 * HTTP, SMTP into Maildir and a POP3 proxy in front of a real Dovecot, under mixed load, with a
 * reload every 2 s and a worker SIGKILLed or SIGSTOPped every 5 s. Holds: no connection fails
 * before a worker answered it unless a struck worker could have held it (connections broken after
 * an answer are counted and listed in the report); no message acknowledged with 250 is lost or stored
 * twice, and every stored message is whole; at most two generations of workers are alive at any
 * sample; the master's open descriptors do not grow. Reports the RSS slopes of master and workers.
 *
 * <p>Runs for {@code berth.soak.duration} (default 2m, the CI run; {@code bench/soak} runs 30m)
 * and writes its figures to {@code berth.soak.report} (default target/soak.md).
 */
class SoakTest {

    static final String SEED = "From: soak@example.test\r\nSubject: seed\r\nMessage-ID: <seed@soak.test>\r\n\r\nhello\r\n.dot\r\n";
    private static final Pattern ID = Pattern.compile("(?m)^Message-ID: <([^>]+)>$");
    private static final long SLACK = TimeUnit.MILLISECONDS.toNanos(100);

    @TempDir
    Path dir;

    @Test
    void mixedLoadThroughReloadsKillsAndStopsLosesNothingAndLeaksNothing() throws Exception {
        Duration duration = SoakReport.duration(System.getProperty("berth.soak.duration", "2m"));
        Path users = Files.writeString(dir.resolve("dovecot-users"), "alice:{PLAIN}secret\nbob:{PLAIN}secret\n");
        try (Dovecot dovecot = Dovecot.in(dir.resolve("dovecot")).users(users)
                .newMessage("alice", SEED).newMessage("bob", SEED).start();
             Berth berth = Berth.start(home(), config(dovecot.pop3Port()))) {
            SoakLoad.Tally tally = new SoakLoad.Tally();
            SoakChaos chaos = new SoakChaos(berth, System.nanoTime());
            SoakSamples samples = new SoakSamples(berth);
            int http = berth.port("web");
            int smtp = berth.port("mx");
            int pop3 = berth.port("pop3");
            ScheduledExecutorService load = Executors.newScheduledThreadPool(12);
            List<SoakHttp.KeepAlive> keepAlives = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                SoakHttp.KeepAlive client = new SoakHttp.KeepAlive(http);
                keepAlives.add(client);
                load.scheduleWithFixedDelay(() -> client.request(tally), i, 10, TimeUnit.MILLISECONDS);
            }
            for (int i = 0; i < 2; i++) {
                load.scheduleWithFixedDelay(() -> SoakHttp.perConnection(http, tally), i, 20, TimeUnit.MILLISECONDS);
                load.scheduleWithFixedDelay(() -> SoakLoad.smtp(smtp, tally), i, 100, TimeUnit.MILLISECONDS);
                String user = i == 0 ? "alice" : "bob";
                load.scheduleWithFixedDelay(() -> SoakLoad.pop3(pop3, user, SEED, tally), i, 150, TimeUnit.MILLISECONDS);
            }
            ScheduledExecutorService control = Executors.newScheduledThreadPool(3);
            control.scheduleAtFixedRate(guard(chaos::reload), 2, 2, TimeUnit.SECONDS);
            control.scheduleAtFixedRate(guard(chaos::strike), 5, 5, TimeUnit.SECONDS);
            control.scheduleAtFixedRate(guard(samples::sample), 0, 1, TimeUnit.SECONDS);
            try {
                assertThat(control.awaitTermination(duration.toMillis(), TimeUnit.MILLISECONDS)).isFalse();
            } finally {
                control.shutdownNow();
                load.shutdownNow();
                load.awaitTermination(30, TimeUnit.SECONDS);
                control.awaitTermination(30, TimeUnit.SECONDS);
                keepAlives.forEach(SoakHttp.KeepAlive::close);
                chaos.release();
            }
            Path mailbox = berth.dir().resolve("mail").resolve("example.test").resolve("alice");
            Stored stored = stored(mailbox);
            List<SoakLoad.Failure> unexplained = tally.failures.stream().filter(f -> !chaos.explains(f, SLACK)).toList();
            long lost = tally.acknowledged.stream().filter(id -> !stored.count().containsKey(id)).count();
            long duplicated = stored.count().values().stream().filter(n -> n > 1).count();
            double warm = duration.toSeconds() / 5.0;
            SoakReport report = new SoakReport(duration, tally, chaos, samples, stored.count().size(), stored.partial(),
                    unexplained, lost, duplicated, warm);
            Path reportFile = Path.of(System.getProperty("berth.soak.report", "target/soak.md"));
            report.write(reportFile);
            Files.writeString(reportFile.resolveSibling(reportFile.getFileName() + ".master.log"), berth.log());
            // the bar: no connection fails that no worker had accepted (broken ones are
            // reported), in bin/test's 2 minutes as in bench/soak's 30 (bench/results/soak.md)
            assertThat(unexplained).filteredOn(f -> f.outcome() != Outcome.BROKEN_SERVED)
                    .as("failed connections that no worker served and no strike explains\n%s", report.text())
                    .isEmpty();
            assertThat(lost).as("acknowledged messages missing from Maildir").isZero();
            assertThat(duplicated).as("messages stored twice").isZero();
            assertThat(stored.partial()).as("messages stored incomplete").isEmpty();
            assertThat(samples.maxGenerations()).as("generations alive at once").isLessThanOrEqualTo(2);
            assertThat(samples.median(s -> s.masterFds(), duration.toSeconds() - warm, Double.MAX_VALUE))
                    .as("the master's open descriptors at the end, against after the warm-up")
                    .isLessThanOrEqualTo(samples.median(s -> s.masterFds(), warm, 2 * warm) + 8);
            for (String kind : List.of("http-keepalive", "http-close", "smtp", "pop3")) {
                assertThat(tally.count(kind, Outcome.OK)).as("%s operations that succeeded", kind).isPositive();
            }
            assertThat(tally.acknowledged).isNotEmpty();
        }
    }

    private Path home() throws IOException {
        Path home = dir.resolve("berth");
        Files.createDirectories(home);
        Files.writeString(home.resolve("users.txt"), "alice@example.test:{PLAIN}secret\n");
        return home;
    }

    static String config(int dovecotPop3) {
        return """
                master: {run-dir: run, log-dir: log}
                pools:
                  soak:
                    workers: 2
                    threads: 2
                    drain-timeout: 5s
                    jvm-options: %s
                services:
                  - {name: web, kind: http, pool: soak, listen: ["127.0.0.1:0"], http: {response: "%s"}}
                  - name: mx
                    kind: smtp
                    pool: soak
                    listen: ["127.0.0.1:0"]
                    smtp: {hostname: mx.soak.test, deliver: maildir, maildir: mail, users: users.txt, domains: [example.test]}
                  - {name: pop3, kind: pop3-proxy, pool: soak, listen: ["127.0.0.1:0"], pop3-proxy: {upstream: "127.0.0.1:%d"}}
                """.formatted(Configs.TEST_JVM, SoakHttp.BODY.replace("\n", "\\n"), dovecotPop3);
    }

    /** Keeps a scheduled task alive through a failure of one run (the master busy, say). */
    private static Runnable guard(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException | AssertionError e) {
                System.err.println("soak: " + e);
            }
        };
    }

    /** Message-IDs stored (new/ and cur/) with their counts, and files that are not whole. */
    record Stored(Map<String, Integer> count, List<String> partial) {
    }

    static Stored stored(Path mailbox) throws IOException {
        Map<String, Integer> count = new HashMap<>();
        List<String> partial = new ArrayList<>();
        for (String sub : List.of("new", "cur")) {
            Path d = mailbox.resolve(sub);
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (Stream<Path> files = Files.list(d)) {
                for (Path f : files.toList()) {
                    String text = Files.readString(f, StandardCharsets.ISO_8859_1);
                    Matcher m = ID.matcher(text);
                    if (!m.find() || !text.endsWith("end " + m.group(1) + "\r\n")) {
                        partial.add(f.getFileName().toString());
                        continue;
                    }
                    count.merge(m.group(1), 1, Integer::sum);
                }
            }
        }
        return new Stored(count, partial);
    }
}
