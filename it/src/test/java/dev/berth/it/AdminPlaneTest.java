package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.testpeers.Await;
import dev.berth.testpeers.Clamd;
import dev.berth.testpeers.Commands;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue 12: the admin plane of a real master, with an HTTP pool and a scanning SMTP pool. The page
 * is rendered in Debian's headless Chromium (driven through chromedriver) and read as a person
 * would: every worker's pid, a killed worker's restart with its cause. A screenshot is kept as
 * {@code it/target/admin-page.png}. Metrics pass promtool; logs are JSON lines.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminPlaneTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    static Path dir;

    private Berth berth;
    private String admin;

    @BeforeAll
    void start() throws Exception {
        Files.writeString(dir.resolve("users.txt"), "alice@example.test:{PLAIN}secret\n");
        berth = Berth.start(dir, """
                master: {run-dir: run, log-dir: log, admin: "127.0.0.1:0", log-format: json}
                scanners:
                  sig: {kind: signatures}
                pools:
                  web:
                    workers: 2
                    threads: 1
                    jvm-options: %1$s
                  mail:
                    workers: 1
                    threads: 1
                    jvm-options: %1$s
                services:
                  - {name: hello, kind: http, pool: web, listen: ["127.0.0.1:0"], http: {response: "hello\\n"}}
                  - name: mx
                    kind: smtp
                    pool: mail
                    listen: ["127.0.0.1:0"]
                    smtp: {hostname: mx.example.test, deliver: maildir, maildir: mail, users: users.txt,
                           domains: [example.test], scan: [sig], on-virus: reject}
                """.formatted(Configs.TEST_JVM));
        admin = berth.status().path("master").path("admin").asText();
    }

    @AfterAll
    void stop() {
        if (berth != null) {
            berth.close();
        }
    }

    /** The body at {@code path}, or what went wrong, for polling. */
    private String body(String path) {
        try {
            return get(path).body();
        } catch (Exception e) {
            return "(" + e + ")";
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + admin + path)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @Order(1)
    void statusNamesTheAdminAddressOnLoopbackWithTheRealPort() throws Exception {
        assertThat(admin).startsWith("127.0.0.1:").doesNotEndWith(":0");
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
        assertThat(get("/readyz").statusCode()).isEqualTo(200);
        JsonNode status = JSON.readTree(get("/status.json").body());
        assertThat(status.path("master").path("pid").asLong()).isEqualTo(berth.master().pid());
    }

    @Test
    @Order(2)
    void mailCountersReachTheMetricsWhichPassPromtool() throws Exception {
        int smtp = berth.port("mx");
        send(smtp, "Subject: clean\r\n\r\nhello\r\n");
        send(smtp, Clamd.infectedMessage("Subject: infected\r\n"));
        for (int i = 0; i < 5; i++) {
            HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + berth.port("hello") + "/")).build(),
                    HttpResponse.BodyHandlers.discarding());
        }
        List<String> expected = List.of(
                "berth_workers{pool=\"web\",state=\"ready\"} 2.0",
                "berth_requests_total{pool=\"web\",service=\"hello\"} 5.0",
                "berth_connections_accepted_total{pool=\"mail\",service=\"mx\"} 2.0",
                "berth_smtp_replies_total{code=\"554\",pool=\"mail\",service=\"mx\"} 1.0",
                "berth_scan_verdicts_total{pool=\"mail\",scanner=\"sig\",service=\"mx\",verdict=\"infected\"} 1.0",
                "berth_scan_verdicts_total{pool=\"mail\",scanner=\"sig\",service=\"mx\",verdict=\"clean\"} 1.0",
                "berth_worker_start_seconds_count");
        String[] metrics = {""};
        // the last request may be counted a moment after its response reached the client
        boolean all = Await.until(WAIT, Duration.ofMillis(100), () -> {
            metrics[0] = body("/metrics");
            return expected.stream().allMatch(metrics[0]::contains);
        });
        assertThat(all).as(metrics[0]).isTrue();
        assertThat(metrics[0]).containsPattern("berth_connections_accepted_total\\{pool=\"web\",service=\"hello\"} [1-5]\\.0");
        Commands.Result checked = Commands.run(dir, metrics[0], Duration.ofSeconds(30), List.of("promtool", "check", "metrics"));
        assertThat(checked.output()).isEmpty();
        assertThat(checked.exit()).isZero();
    }

    @Test
    @Order(3)
    void pageShowsEveryWorkerAndAKilledWorkersRestartWithItsCause() throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,1000", "--user-data-dir=" + dir.resolve("chromium"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new java.io.File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        ChromeDriver page = new ChromeDriver(service, options);
        try {
            page.get("http://" + admin + "/");
            WebDriverWait wait = new WebDriverWait(page, WAIT, Duration.ofMillis(200));
            List<Long> pids = new java.util.ArrayList<>(berth.readyPids("web"));
            pids.addAll(berth.readyPids("mail"));
            for (long pid : pids) {
                wait.until(d -> !d.findElements(By.cssSelector(".worker[data-pid='" + pid + "']")).isEmpty());
            }
            long victim = berth.readyPids("web").getFirst();
            ProcessHandle.of(victim).orElseThrow().destroyForcibly();
            wait.until(d -> !d.findElements(By.cssSelector(
                    "tr[data-event='restart'][data-cause='crash'][data-pid='" + victim + "']")).isEmpty());
            assertThat(page.findElement(By.cssSelector("tr[data-pid='" + victim + "'][data-event='restart']")).getText())
                    .contains("crash").contains("died");
            JsonNode replaced = berth.awaitStatus(s -> Berth.workers(s, "web").stream()
                    .filter(w -> w.path("state").asText().equals("ready")).count() == 2
                    && Berth.workers(s, "web").stream().noneMatch(w -> w.path("pid").asLong() == victim), WAIT, "replaced");
            for (JsonNode w : Berth.workers(replaced, "web")) {
                wait.until(d -> !d.findElements(By.cssSelector(".worker[data-state='ready'][data-pid='"
                        + w.path("pid").asLong() + "']")).isEmpty());
            }
            assertThat(page.findElements(By.cssSelector(".worker[data-pid='" + victim + "']"))).isEmpty();
            // the master kept what the killed worker had counted: totals never go back
            assertThat(body("/metrics")).contains("berth_requests_total{pool=\"web\",service=\"hello\"} 5.0")
                    .contains("berth_worker_restarts_total{cause=\"crash\",pool=\"web\"} 1.0");
            wait.until(d -> !d.findElements(By.cssSelector("[data-chart='mail verdicts/s'] svg")).isEmpty());
            Path shot = Path.of("target", "admin-page.png");
            Files.createDirectories(shot.getParent());
            Files.copy(page.getScreenshotAs(OutputType.FILE).toPath(), shot, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            page.quit();
        }
    }

    @Test
    @Order(4)
    void restartIsLoggedAsOneJsonObjectWithPoolWorkerPidGenerationAndCause() throws Exception {
        JsonNode restart = null;
        List<String> lines = Files.readAllLines(dir.resolve("master.log"));
        // the JVM itself may print a warning or two before logging starts; every log record is JSON
        assertThat(lines.stream().filter(l -> l.startsWith("{")).count()).isGreaterThan(lines.size() - 5);
        for (String line : lines.stream().filter(l -> l.startsWith("{")).toList()) {
            JsonNode object = JSON.readTree(line);
            assertThat(object.has("time") && object.has("message")).as(line).isTrue();
            if ("restart".equals(object.path("event").asText())) {
                restart = object;
            }
        }
        assertThat(restart).isNotNull();
        assertThat(restart.path("pool").asText()).isEqualTo("web");
        assertThat(restart.path("cause").asText()).isEqualTo("crash");
        assertThat(restart.path("worker").asInt()).isPositive();
        assertThat(restart.path("pid").asLong()).isPositive();
        assertThat(restart.path("generation").asLong()).isEqualTo(1);
    }

    /** One SMTP transaction to alice, line by line; the reply to DATA's end is whatever the scan says. */
    private static void send(int port, String message) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            reply(in);
            for (String command : List.of("EHLO client.test", "MAIL FROM:<bob@client.test>",
                    "RCPT TO:<alice@example.test>", "DATA")) {
                out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
                reply(in);
            }
            out.write((message + ".\r\n").getBytes(StandardCharsets.US_ASCII));
            reply(in);
            out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            reply(in);
        }
    }

    private static String reply(BufferedReader in) throws Exception {
        String line = in.readLine();
        while (line != null && line.length() > 3 && line.charAt(3) == '-') {
            line = in.readLine();
        }
        return line;
    }
}
