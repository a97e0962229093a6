package dev.berth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real server on a loopback port, fetched by the JDK's client, curl and a raw socket. */
class HttpLoopbackTest {

    private static final Duration TIMEOUT = LoopbackServer.TIMEOUT;
    private static final Path CURL = LoopbackServer.CURL;

    @TempDir
    Path dir;

    private LoopbackServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void javaHttpClientFetchesAStaticFileByteExactly() throws Exception {
        byte[] content = randomBytes(3 * 1024 * 1024 + 17);
        Files.write(site().resolve("big.bin"), content);
        Files.writeString(site().resolve("index.html"), "<h1>hi</h1>\n");
        URI base = start(staticSettings());

        try (HttpClient client = client()) {
            HttpResponse<byte[]> big = client.send(get(base.resolve("/big.bin")), HttpResponse.BodyHandlers.ofByteArray());
            HttpResponse<String> index = client.send(get(base.resolve("/")), HttpResponse.BodyHandlers.ofString());

            assertThat(big.statusCode()).isEqualTo(200);
            assertThat(big.headers().firstValue("content-type")).contains("application/octet-stream");
            assertThat(big.body()).isEqualTo(content);
            assertThat(index.headers().firstValue("content-type")).contains("text/html; charset=utf-8");
            assertThat(index.body()).isEqualTo("<h1>hi</h1>\n");
        }
        assertThat(server.served).hasValue(2);
    }

    @Test
    void javaHttpClientGetsTheFixedResponse() throws Exception {
        URI base = start(HttpSettings.defaults());

        try (HttpClient client = client()) {
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> response = client.send(get(base.resolve("/any?i=" + i)),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.headers().firstValue("server")).contains("berth");
                assertThat(response.headers().firstValue("date")).isPresent();
                assertThat(response.body()).isEqualTo("hello\n");
            }
        }
        assertThat(server.served).hasValue(3);
    }

    @Test
    void curlFetchesStaticFilesByteExactlyOverOneConnection() throws Exception {
        assumeTrue(Files.isExecutable(CURL), "curl is not installed");
        byte[] content = randomBytes(1024 * 1024 + 3);
        Files.write(site().resolve("photo.png"), content);
        Files.writeString(site().resolve("style.css"), "body { color: red }\n");
        URI base = start(staticSettings());
        Path first = dir.resolve("first.out");
        Path second = dir.resolve("second.out");

        String report = curl("-o", first.toString(), base.resolve("/photo.png").toString(),
                "-o", second.toString(), base.resolve("/style.css").toString());

        assertThat(report).isEqualTo("200 image/png 1\n200 text/css; charset=utf-8 0\n");
        assertThat(Files.readAllBytes(first)).isEqualTo(content);
        assertThat(second).hasContent("body { color: red }");
    }

    @Test
    void curlIsToldNotModifiedForAnUnchangedFile() throws Exception {
        assumeTrue(Files.isExecutable(CURL), "curl is not installed");
        Path file = Files.writeString(site().resolve("page.html"), "<p>same</p>\n");
        URI base = start(staticSettings());

        String report = curl("-o", dir.resolve("page.out").toString(), "-z", file.toString(),
                base.resolve("/page.html").toString());

        assertThat(report).startsWith("304 ");
    }

    @Test
    void drainClosesAnIdleKeepAliveConnection() throws Exception {
        URI base = start(HttpSettings.defaults());

        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), base.getPort()),
                    (int) TIMEOUT.toMillis());
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = readResponse(in);
            assertThat(response).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\nhello\n")
                    .doesNotContain("connection:");

            server.service.onDrain();

            assertThat(in.read()).isEqualTo(-1);
        }
    }

    private URI start(HttpSettings settings) {
        server = new LoopbackServer(settings);
        return server.base();
    }

    private Path site() throws IOException {
        return Files.createDirectories(dir.resolve("site"));
    }

    private HttpSettings staticSettings() {
        return new HttpSettings("unused", HttpSettings.DEFAULT_CONTENT_TYPE, Optional.of(dir.resolve("site")),
                "index.html", Duration.ofSeconds(60), HttpSettings.DEFAULT_HEADER_TIMEOUT, 0);
    }

    private static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
    }

    private static HttpRequest get(URI uri) {
        return HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build();
    }

    /** Runs curl with a per-transfer report line: status, content type, new connections. */
    private static String curl(String... arguments) throws IOException, InterruptedException {
        var command = new java.util.ArrayList<String>(java.util.List.of(
                "-w", "%{http_code} %{content_type} %{num_connects}\\n"));
        command.addAll(java.util.List.of(arguments));
        LoopbackServer.Curl curl = LoopbackServer.curl(command.toArray(String[]::new));
        assertThat(curl.status()).as(curl.output()).isZero();
        return curl.output();
    }

    /** Reads one response with a content-length body from a blocking stream. */
    private static String readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed inside the head: " + head);
            }
            head.append((char) b);
        }
        String lengthLine = head.toString().lines()
                .filter(line -> line.startsWith("content-length: ")).findFirst().orElseThrow();
        int length = Integer.parseInt(lengthLine.substring("content-length: ".length()));
        return head + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return bytes;
    }
}
