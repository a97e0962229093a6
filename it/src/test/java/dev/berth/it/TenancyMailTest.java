package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.testpeers.Commands;
import dev.berth.testpeers.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
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
 * Issue 9 with real processes in a network namespace of the test's own: two tenants, acme and
 * globex, each with its own address and user, share one SMTP port, one relay port, one POP3 port
 * and one POP3 proxy port. Each tenant's family of workers runs as its user and serves only its
 * own mail; loopback connections belong to the tenant of the connecting process; the relay leaves
 * from the tenant's address.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenancyMailTest {

    private Path home;
    private Netns ns;
    private TestUsers users;
    private RecordingSmtpPeer peer;
    private Berth berth;
    private String acmeUser;
    private String globexUser;
    private int smtp;
    private int relay;
    private int pop3;
    private int proxy;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        assumeTrue(Processes.isRoot(), "network namespaces and tenants' users need root (CI runs as root)");
        users = new TestUsers();
        acmeUser = users.add("acme");
        globexUser = users.add("globex");
        ns = Netns.create(2);
        peer = new RecordingSmtpPeer(ns.host());
        int[] ports = ns.freePorts(4);
        smtp = ports[0];
        relay = ports[1];
        pop3 = ports[2];
        proxy = ports[3];
        home = dir.resolve("berth");
        Files.createDirectories(home);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
        tenantHome("acme", acmeUser, "alice@acme.test:{PLAIN}secret\n");
        tenantHome("globex", globexUser, "bob@globex.test:{PLAIN}secret\n");
        Path jar = home.resolve("berth.jar");
        Files.copy(Berth.JAR, jar);
        berth = Berth.startThrough(ns.exec(), home, config(), jar);
    }

    private void tenantHome(String group, String user, String usersFile) throws IOException {
        Path tenant = home.resolve(group);
        Files.createDirectories(tenant.resolve("mail"));
        Files.writeString(tenant.resolve("users.txt"), usersFile);
        Commands.output(List.of("chown", "-R", user, tenant.toString()));
    }

    private String config() {
        return """
                master: {run-dir: run, log-dir: log, user: nobody, admin: "127.0.0.1:0"}
                groups:
                  acme:   {addresses: [%s], user: %s, ephemeral-ports: 41000-41999}
                  globex: {addresses: [%s], user: %s, loopback: deny}
                pools:
                  mail: {workers: 1, threads: 1, jvm-options: %s}
                services:
                  - name: mx
                    kind: smtp
                    pool: mail
                    listen: ["0.0.0.0:%d"]
                    smtp: {deliver: maildir, hostname: mx.example.test}
                    groups:
                      acme:   {smtp: {maildir: acme/mail, users: acme/users.txt, domains: [acme.test], hostname: mx.acme.test}}
                      globex: {smtp: {maildir: globex/mail, users: globex/users.txt, domains: [globex.test]}}
                  - name: relay
                    kind: smtp
                    pool: mail
                    listen: ["0.0.0.0:%d"]
                    smtp: {deliver: relay, hostname: relay.example.test, relay-to: "%s:%d", relay-networks: [10.0.0.0/8]}
                    groups: [acme, globex]
                  - name: pop3
                    kind: pop3
                    pool: mail
                    listen: ["0.0.0.0:%d"]
                    pop3: {allow-plaintext-auth: true}
                    groups:
                      acme:   {pop3: {maildir: acme/mail, users: acme/users.txt}}
                      globex: {pop3: {maildir: globex/mail, users: globex/users.txt}}
                  - name: pop3-proxy
                    kind: pop3-proxy
                    pool: mail
                    listen: ["0.0.0.0:%d"]
                    groups:
                      acme:   {pop3-proxy: {upstream: "%s:%d"}}
                      globex: {pop3-proxy: {upstream: "%s:%d"}}
                """.formatted(ns.tenant(1), acmeUser, ns.tenant(2), globexUser, Configs.TEST_JVM, smtp, relay,
                ns.host(), peer.port(), pop3, proxy, ns.tenant(1), pop3, ns.tenant(2), pop3);
    }

    @AfterAll
    void stop() {
        Stream.<AutoCloseable>of(berth, peer, ns, users).filter(java.util.Objects::nonNull).forEach(c -> {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("cleanup: " + e);
            }
        });
    }

    private static String send(LineClient smtp, String from, String to) throws IOException {
        smtp.reply();
        smtp.command("EHLO client.test");
        smtp.command("MAIL FROM:<" + from + ">");
        String rcpt = smtp.command("RCPT TO:<" + to + ">");
        if (rcpt.startsWith("250")) {
            smtp.command("DATA");
            smtp.send("Subject: hello " + to);
            smtp.send("");
            smtp.send("hi");
            return smtp.command(".");
        }
        return rcpt;
    }

    @Test
    void eachTenantsSmtpInstanceTakesOnlyItsOwnMailIntoItsOwnMaildirAsItsOwnUser() throws Exception {
        try (LineClient toAcme = new LineClient(ns.tenant(1), smtp); LineClient toGlobex = new LineClient(ns.tenant(2), smtp)) {
            assertThat(send(toAcme, "x@sender.test", "alice@acme.test")).startsWith("250");
            assertThat(send(toGlobex, "x@sender.test", "bob@globex.test")).startsWith("250");
        }
        try (LineClient crossed = new LineClient(ns.tenant(1), smtp)) {
            assertThat(send(crossed, "x@sender.test", "bob@globex.test")).as("globex's domain at acme's address")
                    .matches("(?s)5[0-9][0-9] .*");
        }
        Path alice = only(home.resolve("acme/mail/acme.test/alice/new"));
        Path bob = only(home.resolve("globex/mail/globex.test/bob/new"));
        assertThat(Files.getOwner(alice).getName()).isEqualTo(acmeUser);
        assertThat(Files.getOwner(bob).getName()).isEqualTo(globexUser);
        assertThat(home.resolve("globex/mail/acme.test")).doesNotExist();
        // the tenants' workers count failed AUTH in the host's client table, which they get open from the master
        assertThat(berth.log()).doesNotContain("cannot map the client table");
        JsonNode status = berth.status();
        for (String group : List.of("acme", "globex")) {
            for (JsonNode w : Berth.workers(status, "mail@" + group)) {
                assertThat(Processes.uids(w.path("pid").asLong())).as("worker of " + group)
                        .startsWith(TestUsers.uid(group.equals("acme") ? acmeUser : globexUser) + "\t");
            }
        }
    }

    @Test
    void aConnectionToAnAddressNoTenantOwnsIsRefusedInSmtpTerms() throws Exception {
        try (LineClient nobody = new LineClient(ns.inner(), smtp)) {
            assertThat(nobody.reply()).startsWith("421 4.3.2 ");
            assertThat(nobody.line()).isNull();
        }
        JsonNode counts = berth.awaitStatus(s -> hasCount(s, "mx", "", "refused-no-owner"), Duration.ofSeconds(10),
                "the refusal counted").path("tenancy").path("counts");
        assertThat(counts.toString()).contains("\"how\":\"refused-no-owner\"");
        // the refusal log writes one line per service per second: another test's refusal in the
        // same second may have taken it, so every poll (longer than that second) refuses again
        assertThat(Await.until(Duration.ofSeconds(10), Duration.ofMillis(1_100),
                () -> berth.log().contains("service mx: refused /" + ns.host()) || refusedAgain()))
                .as(berth.log()).isTrue();
        assertThat(berth.log()).containsPattern("service mx: refused /" + ns.host().replace(".", "\\.") + ".*no-owner");
    }

    /** Connects to the address no tenant owns once more; false, so that a poll goes on. */
    private boolean refusedAgain() {
        try (LineClient nobody = new LineClient(ns.inner(), smtp)) {
            assertThat(nobody.reply()).startsWith("421 4.3.2 ");
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void everyClassificationIsCountedInTheMetricsWithThePoolInstancesInLogsAndStatus() throws Exception {
        try (LineClient acme = new LineClient(ns.tenant(1), smtp)) {
            assertThat(acme.reply()).contains("mx.acme.test");
        }
        String admin = berth.status().path("master").path("admin").asText();
        assertThat(Await.until(Duration.ofSeconds(10), Duration.ofMillis(100),
                () -> acmeByAddress(ns.inside("curl", "-s", "-m", "5", "http://" + admin + "/metrics"))))
                .as(ns.inside("curl", "-s", "-m", "5", "http://" + admin + "/metrics")).isTrue();
        assertThat(berth.log()).contains("pool=mail@acme").contains("pool=mail@globex");
        Berth.CliResult table = berth.cli("status");
        assertThat(table.status()).as(table.output()).isZero();
        assertThat(table.output()).contains("mail@acme").contains("mail@globex")
                .containsPattern(ns.tenant(1).replace(".", "\\.") + " +acme ")
                .containsPattern("mx +acme +address +[1-9]");
    }

    @Test
    void loopbackConnectionsBelongToTheTenantOfTheConnectingProcess() throws Exception {
        assertThat(greetingOverLoopback(acmeUser)).contains("mx.acme.test");
        assertThat(greetingOverLoopback(globexUser)).contains("mx.example.test");
        assertThat(greetingOverLoopback("nobody")).startsWith("421 4.3.2 ");
        assertThat(hasCount(berth.status(), "mx", "acme", "loopback")).isTrue();
    }

    @Test
    void aTenantsProcessDiallingAnotherTenantsAddressFollowsItsLoopbackPolicy() throws Exception {
        assertThat(greeting(acmeUser, ns.tenant(2))).as("acme, loopback: own").contains("mx.acme.test");
        assertThat(greeting(globexUser, ns.tenant(1))).as("globex, loopback: deny").startsWith("421 4.3.2 ");
        assertThat(greeting(globexUser, ns.tenant(2))).as("globex at its own address").contains("mx.example.test");
        assertThat(hasCount(berth.status(), "mx", "acme", "refused-loopback-denied")).isTrue();
    }

    /** The SMTP greeting that a process of {@code user} gets on 127.0.0.1 inside the namespace. */
    private String greetingOverLoopback(String user) throws Exception {
        return greeting(user, "127.0.0.1");
    }

    /** The SMTP greeting that a process of {@code user} gets at {@code host} inside the namespace. */
    private String greeting(String user, String host) throws Exception {
        int uid = TestUsers.uid(user);
        return Commands.output(ns.exec(Processes.asUser(uid, Processes.SYSTEM_PYTHON, "-c",
                "import socket\ns=socket.create_connection(('" + host + "'," + smtp + "),10)\n"
                        + "print(s.makefile().readline().strip())"))).trim();
    }

    @Test
    void theRelayLeavesFromTheTenantsAddress() throws Exception {
        int before = peer.clients().size();
        try (LineClient acme = new LineClient(ns.tenant(1), relay)) {
            assertThat(send(acme, "a@acme.test", "someone@elsewhere.test")).startsWith("250");
        }
        try (LineClient globex = new LineClient(ns.tenant(2), relay)) {
            assertThat(send(globex, "b@globex.test", "other@elsewhere.test")).startsWith("250");
        }
        List<InetSocketAddress> seen = peer.clients().subList(before, peer.clients().size());
        assertThat(seen).extracting(InetSocketAddress::getAddress).containsExactly(ns.tenantAddress(1), ns.tenantAddress(2));
        assertThat(seen.getFirst().getPort()).as("acme's ephemeral-ports").isBetween(41000, 41999);
    }

    @Test
    void eachTenantsPop3AndProxyServeItsOwnMaildirThroughItsOwnUpstream() throws Exception {
        try (LineClient acme = new LineClient(ns.tenant(1), smtp)) {
            assertThat(send(acme, "x@sender.test", "alice@acme.test")).startsWith("250");
        }
        assertThat(pop3Login(ns.tenant(1), pop3, "alice@acme.test")).startsWith("+OK");
        assertThat(pop3Login(ns.tenant(2), pop3, "alice@acme.test")).as("alice is no user of globex's").startsWith("-ERR");
        assertThat(pop3Login(ns.tenant(1), proxy, "alice@acme.test")).startsWith("+OK");
        assertThat(pop3Login(ns.tenant(2), proxy, "bob@globex.test")).startsWith("+OK");
        assertThat(pop3Login(ns.tenant(2), proxy, "alice@acme.test")).startsWith("-ERR");
    }

    /** USER/PASS then STAT; the answer to PASS, or to STAT when PASS succeeded. */
    private static String pop3Login(String host, int port, String user) throws IOException {
        try (LineClient pop = new LineClient(host, port)) {
            pop.line();
            pop.send("USER " + user);
            pop.line();
            pop.send("PASS secret");
            String pass = pop.line();
            if (!pass.startsWith("+OK")) {
                return pass;
            }
            pop.send("STAT");
            return pop.line();
        }
    }

    /** Whether the metrics count acme's connections to mx classified by their address. */
    private static boolean acmeByAddress(String metrics) {
        return metrics.lines().anyMatch(l -> l.startsWith("berth_tenant_classified_total{") && l.contains("group=\"acme\"")
                && l.contains("how=\"address\"") && l.contains("pool=\"mail\"") && l.contains("service=\"mx\"")
                && !l.endsWith(" 0.0"));
    }

    private static boolean hasCount(JsonNode status, String service, String group, String how) {
        for (JsonNode c : status.path("tenancy").path("counts")) {
            if (c.path("service").asText().equals(service) && c.path("group").asText().equals(group)
                    && c.path("how").asText().equals(how) && c.path("count").asLong() > 0) {
                return true;
            }
        }
        return false;
    }

    private static Path only(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            List<Path> all = files.toList();
            assertThat(all).as(folder.toString()).hasSize(1);
            return all.getFirst();
        }
    }
}
