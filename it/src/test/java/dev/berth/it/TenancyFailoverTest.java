package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9's guarantees under load, in a network namespace of the test's own:
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
            JsonNode table = berth.status().path("tenancy").path("addresses");
            assertThat(table.toString()).contains("\"address\":\"" + added + "\",\"group\":\"acme\",\"interface\":\""
                    + ns.device() + "\"");

            Berth.CliResult del = berth.cli("addr", "del", added);
            assertThat(del.status()).as(del.output()).isZero();
            berth.awaitStatus(s -> !s.path("tenancy").path("addresses").toString().contains(added),
                    Duration.ofSeconds(20), "the removed address gone after its drain");
            assertThat(ns.inside("ip", "-o", "addr", "show", "dev", ns.device())).doesNotContain(added + "/");
            globex.awaitSuccesses(50, 30_000);
            globex.stop();
            assertThat(globex.failures()).isEmpty();
        }
    }
}
