package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.posix.Processes;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9's guarantees under load, in a network namespace of the test's own: a worker stopped and
 * killed inside one tenant loses nothing it had not taken and the other tenant never notices;
 * {@code berth addr add/del} gives a tenant an address and takes it away while other addresses
 * serve without a failure.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenancyFailoverTest {

    private static final int CLIENTS = 4;

    private Netns ns;
    private Berth berth;
    private int port;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        assumeTrue(dev.berth.it.Processes.isRoot(), "network namespaces need root (CI runs as root)");
        ns = Netns.create(2);
        port = ns.freePorts(1)[0];
        // the groups' workers run as nobody (never as root): it must read the jar and reach the run directory
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path jar = dir.resolve("berth.jar");
        Files.copy(Berth.JAR, jar);
        berth = Berth.startThrough(ns.exec(), dir, """
                master: {run-dir: run, log-dir: log, user: nobody}
                groups:
                  acme:   {addresses: [%s]}
                  globex: {addresses: [%s]}
                pools:
                  web: {workers: 2, threads: 1, drain-timeout: 1s, hang-timeout: 2s, jvm-options: %s}
                services:
                  - name: hello
                    kind: http
                    pool: web
                    listen: ["0.0.0.0:%d"]
                    http: {keep-alive-timeout: 60s}
                    groups:
                      acme:   {http: {response: "acme\\n"}}
                      globex: {http: {response: "globex\\n"}}
                """.formatted(ns.tenant(1), ns.tenant(2), Configs.TEST_JVM, port), jar);
    }

    @AfterAll
    void stop() {
        Stream.<AutoCloseable>of(berth, ns).filter(java.util.Objects::nonNull).forEach(c -> {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("cleanup: " + e);
            }
        });
    }

    @Test
    void aWorkerStoppedAndKilledInOneTenantLosesNothingUntakenAndTheOtherTenantNeverNotices() throws Exception {
        List<Long> globexPids = berth.readyPids("web@globex");
        List<Long> acmePids = berth.readyPids("web@acme");
        assertThat(acmePids).hasSize(2);
        try (HttpLoad acme = new HttpLoad(ns.tenant(1), port, "acme\n", CLIENTS);
             HttpLoad globex = new HttpLoad(ns.tenant(2), port, "globex\n", CLIENTS)) {
            acme.awaitSuccesses(100, 30_000);
            globex.awaitSuccesses(100, 30_000);
            long victim = acmePids.getFirst();
            Processes.signal(victim, Processes.SIGSTOP);
            acme.awaitSuccesses(200, 30_000);
            Processes.signal(victim, Processes.SIGKILL);
            berth.awaitStatus(s -> Berth.workers(s, "web@acme").stream().filter(w -> w.path("state").asText().equals("ready"))
                    .map(w -> w.path("pid").asLong()).filter(p -> p != victim).count() == 2,
                    Duration.ofSeconds(30), "the killed acme worker replaced");
            acme.awaitSuccesses(100, 30_000);
            globex.awaitSuccesses(100, 30_000);
            acme.stop();
            globex.stop();

            assertThat(globex.failures()).as("globex failures; master log:%n%s", berth.log()).isEmpty();
            assertThat(berth.readyPids("web@globex")).containsExactlyInAnyOrderElementsOf(globexPids);
            // only connections the victim had taken (acked) may fail, reset or ended without an answer when
            // it was killed (ADR 0005), never with the other tenant's answer
            assertThat(acme.failures()).as("acme failures; master log:%n%s", berth.log()).hasSizeLessThanOrEqualTo(CLIENTS)
                    .allSatisfy(f -> assertThat(f.why()).matches("body |.*(reset|end of stream|closed).*"));
        }
    }

    @Test
    void anAddressAddedAndRemovedUnderLoadChangesNothingForTheOthers() throws Exception {
        String added = ns.tenant(3);
        try (HttpLoad globex = new HttpLoad(ns.tenant(2), port, "globex\n", CLIENTS)) {
            globex.awaitSuccesses(50, 30_000);
            Berth.CliResult add = berth.cli("addr", "add", added + "/24", "dev", ns.device(), "--group", "acme");
            assertThat(add.status()).as(add.output()).isZero();
            Berth.CliResult steal = berth.cli("addr", "add", added + "/24", "dev", ns.device(), "--group", "globex");
            assertThat(steal.status()).isEqualTo(1);
            assertThat(steal.output()).contains("belongs to group acme");
            try (HttpLoad acme = new HttpLoad(added, port, "acme\n", 2)) {
                acme.awaitSuccesses(50, 30_000);
                acme.stop();
                assertThat(acme.failures()).isEmpty();
            }
            Socket kept = keptAlive(added);
            JsonNode table = berth.status().path("tenancy").path("addresses");
            assertThat(table.toString()).contains("\"address\":\"" + added + "\",\"group\":\"acme\",\"interface\":\""
                    + ns.device() + "\"");

            Berth.CliResult del = berth.cli("addr", "del", added);
            assertThat(del.status()).as(del.output()).isZero();
            // a keep-alive connection that came to the removed address is ended by its drain, long
            // before the service's own 60 s keep-alive timeout would end it
            try (kept) {
                assertThat(kept.getInputStream().read()).as("the kept connection after berth addr del").isEqualTo(-1);
            }
            berth.awaitStatus(s -> !s.path("tenancy").path("addresses").toString().contains(added),
                    Duration.ofSeconds(20), "the removed address gone after its drain");
            assertThat(ns.inside("ip", "-o", "addr", "show", "dev", ns.device())).doesNotContain(added + "/");
            globex.awaitSuccesses(50, 30_000);
            globex.stop();
            assertThat(globex.failures()).isEmpty();
        }
    }

    /** A connection to {@code host} that has had one answer and stays open (keep-alive), reads bounded by 20 s. */
    private Socket keptAlive(String host) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(host, port), 5_000);
        s.setSoTimeout(20_000);
        s.getOutputStream().write(("GET / HTTP/1.1\r\nhost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        StringBuilder answer = new StringBuilder();
        InputStream in = s.getInputStream();
        while (!answer.toString().endsWith("\r\n\r\nacme\n")) {
            int b = in.read();
            assertThat(b).as("the answer so far: " + answer).isNotEqualTo(-1);
            answer.append((char) b);
        }
        return s;
    }
}
