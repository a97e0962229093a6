package dev.berth.scan;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.berth.testpeers.Peer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP side of the rspamd scanner against a loopback server that answers like rspamd's
 * /checkv2, for what a real rspamd cannot be made to do on demand: errors, garbage, silence, and
 * checking exactly what is sent.
 */
class RspamdProtocolTest {

    private record Request(String method, String path, Map<String, List<String>> headers, byte[] body) {
    }

    private final BlockingQueue<Request> requests = new ArrayBlockingQueue<>(10);
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;
    private volatile int status = 200;
    private volatile String answer = "{}";

    private Scanner start(Duration timeout, double reject, double tag) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    Map.copyOf(exchange.getRequestHeaders()), body));
            if (answer.equals("hang")) {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] reply = answer.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, reply.length);
            exchange.getResponseBody().write(reply);
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
        return new RspamdSettings("spam", url, reject, tag, timeout, UnavailablePolicy.TEMPFAIL).newScanner();
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void messageAndEnvelopeArePostedToCheckv2() throws Exception {
        answer = """
                {"is_skipped":false,"score":7.25,"required_score":15.0,"action":"add header","symbols":{},"messages":{}}""";
        byte[] message = Messages.crlf(Messages.plain("hi")).getBytes(StandardCharsets.US_ASCII);
        try (Scanner scanner = start(Duration.ofSeconds(5), 15, 6)) {
            Verdict verdict = scanner.scan(MessageContent.of(message), new Envelope("192.0.2.7", "client.test",
                    "alice@example.test", List.of("bob@example.test", "carol@example.test")));
            assertThat(verdict).isEqualTo(new Verdict.Spam("spam", 7.25, SpamAction.TAG));
        }
        Request request = requests.poll(5, TimeUnit.SECONDS);
        assertThat(request).isNotNull();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/checkv2");
        assertThat(request.body()).isEqualTo(message);
        assertThat(request.headers()).containsEntry("Content-length", List.of(String.valueOf(message.length)))
                .containsEntry("Ip", List.of("192.0.2.7"))
                .containsEntry("Helo", List.of("client.test"))
                .containsEntry("From", List.of("alice@example.test"))
                .containsEntry("Rcpt", List.of("bob@example.test", "carol@example.test"));
    }

    @Test
    void unknownEnvelopePartsAreNotSent() throws Exception {
        answer = "{\"score\":-1.5,\"action\":\"no action\"}";
        try (Scanner scanner = start(Duration.ofSeconds(5), 15, 6)) {
            assertThat(scanner.scan(Messages.of(Messages.plain("hi")))).isEqualTo(new Verdict.Spam("spam", -1.5, SpamAction.NONE));
        }
        assertThat(requests.poll(5, TimeUnit.SECONDS).headers()).doesNotContainKeys("Ip", "Helo", "From", "Rcpt");
    }

    @Test
    void rspamdsOwnRejectWinsOverAHigherThreshold() throws IOException {
        answer = """
                {"is_skipped":true,"score":15.0,"required_score":15.0,"action":"reject","symbols":{"GTUBE":{"name":"GTUBE","score":0.0}},"messages":{"smtp_message":"Gtube pattern"}}""";
        try (Scanner scanner = start(Duration.ofSeconds(5), 100, 50)) {
            assertThat(scanner.scan(Messages.of(Messages.plain("hi")))).isEqualTo(new Verdict.Spam("spam", 15.0, SpamAction.REJECT));
        }
    }

    @Test
    void failuresAreUnavailableWithTheirReason() throws IOException {
        try (Scanner scanner = start(Duration.ofSeconds(5), 15, 6)) {
            MessageContent message = Messages.of(Messages.plain("hi"));
            answer = "{\"score\":20,\"action\":\"soft reject\",\"messages\":{\"smtp_message\":\"Try again\\r\\nlater\"}}";
            assertThat(scanner.scan(message)).isEqualTo(new Verdict.Unavailable("spam", "rspamd asks to try again later (soft reject): Try again  later"));
            answer = "{\"error\":\"bad request\"}";
            assertThat(scanner.scan(message)).isEqualTo(new Verdict.Unavailable("spam", "rspamd answered without a score: bad request"));
            answer = "<html>proxy error</html>";
            assertThat(scanner.scan(message)).isEqualTo(new Verdict.Unavailable("spam", "rspamd answered something that is not JSON"));
            status = 503;
            assertThat(scanner.scan(message)).isEqualTo(new Verdict.Unavailable("spam", "rspamd answered HTTP 503"));
        }
    }

    @Test
    void unreadableMessageIsUnavailable() throws IOException {
        MessageContent gone = new MessageContent() {
            @Override
            public long size() {
                return 100;
            }

            @Override
            public java.io.InputStream open() throws IOException {
                throw new java.nio.file.NoSuchFileException("/spool/m.eml");
            }
        };
        try (Scanner scanner = start(Duration.ofSeconds(5), 15, 6)) {
            assertThat(scanner.scan(gone)).isInstanceOfSatisfying(Verdict.Unavailable.class,
                    unavailable -> assertThat(unavailable.reason()).contains("/spool/m.eml"));
        }
    }

    @Test
    void silentServerTimesOut() throws IOException {
        answer = "hang";
        try (Scanner scanner = start(Duration.ofMillis(300), 15, 6)) {
            long start = System.nanoTime();
            assertThat(scanner.scan(Messages.of(Messages.plain("hi")))).isEqualTo(new Verdict.Unavailable("spam", "timeout after 300ms"));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void refusedConnectionIsUnavailable() throws IOException {
        int port = Peer.freePort();
        RspamdSettings settings = new RspamdSettings("spam", URI.create("http://127.0.0.1:" + port), 15, 6,
                Duration.ofSeconds(5), UnavailablePolicy.ACCEPT);
        try (Scanner scanner = settings.newScanner()) {
            Verdict verdict = scanner.scan(Messages.of(Messages.plain("hi")));
            assertThat(verdict).isInstanceOfSatisfying(Verdict.Unavailable.class,
                    unavailable -> assertThat(unavailable.reason()).startsWith("rspamd at http://127.0.0.1:" + port + "/checkv2: "));
            assertThat(settings.accepts((Verdict.Unavailable) verdict)).isTrue();
        }
    }
}
