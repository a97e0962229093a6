package dev.berth.http;

import static dev.berth.http.TestHttp.exchange;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticFilesTest {

    private static final Instant MODIFIED = Instant.parse("2025-06-01T12:00:00Z");
    private static final String MODIFIED_TEXT = "Sun, 01 Jun 2025 12:00:00 GMT";

    @TempDir
    Path dir;

    private Path root;
    private TestHttp.Service service;
    private EmbeddedChannel channel;

    @BeforeEach
    void startService() throws IOException {
        root = Files.createDirectories(dir.resolve("site"));
        write(root.resolve("index.html"), "<h1>home</h1>\n");
        write(root.resolve("style.css"), "body{}\n");
        write(root.resolve("a b+c.txt"), "spaced\n");
        write(root.resolve("blob"), "raw");
        Files.createDirectories(root.resolve("docs"));
        write(root.resolve("docs/index.html"), "<p>docs</p>\n");
        Files.createDirectories(root.resolve("empty"));
        write(dir.resolve("secret.txt"), "secret\n");
        service = new TestHttp.Service(new HttpSettings("unused", HttpSettings.DEFAULT_CONTENT_TYPE,
                Optional.of(root), "index.html", Duration.ofSeconds(60), HttpSettings.DEFAULT_HEADER_TIMEOUT, 0));
        channel = service.connect();
    }

    @AfterEach
    void closeService() {
        service.close();
    }

    @Test
    void fileIsServedWithTypeLengthAndLastModified() {
        String response = exchange(channel, "GET /style.css HTTP/1.1\r\nHost: a\r\n\r\n");

        assertThat(response).isEqualTo("HTTP/1.1 200 OK\r\n"
                + "server: berth\r\n"
                + "date: " + TestHttp.DATE + "\r\n"
                + "content-type: text/css; charset=utf-8\r\n"
                + "content-length: 7\r\n"
                + "last-modified: " + MODIFIED_TEXT + "\r\n"
                + "\r\n"
                + "body{}\n");
        assertThat(channel.isOpen()).isTrue();
        assertThat(service.served).hasValue(1);
    }

    @Test
    void rootServesItsIndex() {
        assertThat(exchange(channel, "GET / HTTP/1.1\r\nHost: a\r\n\r\n"))
                .contains("content-type: text/html; charset=utf-8\r\n")
                .endsWith("\r\n\r\n<h1>home</h1>\n");
    }

    @Test
    void directoryWithSlashServesItsIndex() {
        assertThat(exchange(channel, "GET /docs/?x=1 HTTP/1.1\r\nHost: a\r\n\r\n")).endsWith("\r\n\r\n<p>docs</p>\n");
    }

    @Test
    void directoryWithoutSlashIsRedirectedToIt() {
        String response = exchange(channel, "GET /docs?x=1 HTTP/1.1\r\nHost: a\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 301 Moved Permanently\r\n").contains("\r\nlocation: /docs/?x=1\r\n");
    }

    @Test
    void directoryWithoutIndexIs404() {
        assertThat(exchange(channel, "GET /empty/ HTTP/1.1\r\nHost: a\r\n\r\n")).startsWith("HTTP/1.1 404 Not Found\r\n");
    }

    @Test
    void missingFileIs404AndKeepsTheConnection() {
        String response = exchange(channel, "GET /nothing.html HTTP/1.1\r\nHost: a\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 404 Not Found\r\n").endsWith("\r\n\r\nNot Found\n");
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void percentEscapesAreDecodedAndPlusIsLiteral() {
        assertThat(exchange(channel, "GET /a%20b+c.txt HTTP/1.1\r\nHost: a\r\n\r\n")).endsWith("\r\n\r\nspaced\n");
    }

    @Test
    void unknownExtensionIsOctetStream() {
        assertThat(exchange(channel, "GET /blob HTTP/1.1\r\nHost: a\r\n\r\n")).contains("content-type: application/octet-stream\r\n");
    }

    @Test
    void dotDotIsRefusedHoweverItIsSpelt() {
        for (String target : new String[] {"/../secret.txt", "/docs/../../secret.txt", "/%2e%2e/secret.txt",
                "/docs/%2E%2E%2F..%2Fsecret.txt", "/..%5csecret.txt", "/docs/.."}) {
            assertThat(exchange(channel, "GET " + target + " HTTP/1.1\r\nHost: a\r\n\r\n"))
                    .as(target).startsWith("HTTP/1.1 404 Not Found\r\n");
        }
    }

    @Test
    void symlinkLeadingOutOfTheRootIsRefused() throws IOException {
        Files.createSymbolicLink(root.resolve("escape.txt"), dir.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("outside"), dir);

        assertThat(exchange(channel, "GET /escape.txt HTTP/1.1\r\nHost: a\r\n\r\n")).startsWith("HTTP/1.1 404 ");
        assertThat(exchange(channel, "GET /outside/secret.txt HTTP/1.1\r\nHost: a\r\n\r\n")).startsWith("HTTP/1.1 404 ");
    }

    @Test
    void symlinkInsideTheRootIsFollowed() throws IOException {
        Files.createSymbolicLink(root.resolve("home.html"), root.resolve("index.html"));

        assertThat(exchange(channel, "GET /home.html HTTP/1.1\r\nHost: a\r\n\r\n")).endsWith("\r\n\r\n<h1>home</h1>\n");
    }

    @Test
    void malformedEscapeIs400() {
        assertThat(exchange(channel, "GET /%zz HTTP/1.1\r\nHost: a\r\n\r\n")).startsWith("HTTP/1.1 400 Bad Request\r\n");
        assertThat(exchange(channel, "GET /%c3%28 HTTP/1.1\r\nHost: a\r\n\r\n")).startsWith("HTTP/1.1 400 Bad Request\r\n");
    }

    @Test
    void absoluteFormTargetIsServed() {
        assertThat(exchange(channel, "GET http://example.test/style.css HTTP/1.1\r\nHost: a\r\n\r\n")).endsWith("\r\n\r\nbody{}\n");
    }

    @Test
    void unchangedFileGets304() {
        String response = exchange(channel,
                "GET /style.css HTTP/1.1\r\nHost: a\r\nIf-Modified-Since: " + MODIFIED_TEXT + "\r\n\r\n");

        assertThat(response).isEqualTo("HTTP/1.1 304 Not Modified\r\n"
                + "server: berth\r\n"
                + "date: " + TestHttp.DATE + "\r\n"
                + "last-modified: " + MODIFIED_TEXT + "\r\n"
                + "\r\n");
        assertThat(exchange(channel, "GET /style.css HTTP/1.1\r\nHost: a\r\n\r\n")).endsWith("body{}\n");
    }

    @Test
    void changedFileGets200DespiteIfModifiedSince() {
        String response = exchange(channel,
                "GET /style.css HTTP/1.1\r\nHost: a\r\nIf-Modified-Since: Sun, 01 Jun 2025 11:59:59 GMT\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 200 OK\r\n").endsWith("body{}\n");
    }

    @Test
    void headOfAFileHasItsLengthButNoBody() {
        String response = exchange(channel, "HEAD /style.css HTTP/1.1\r\nHost: a\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 200 OK\r\n").contains("content-length: 7\r\n").endsWith("\r\n\r\n");
    }

    @Test
    void pipelinedFileRequestsAreAnsweredInOrder() {
        String responses = exchange(channel, "GET /style.css HTTP/1.1\r\nHost: a\r\n\r\n"
                + "GET /missing HTTP/1.1\r\nHost: a\r\n\r\n"
                + "GET /docs/ HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");

        assertThat(responses).containsSubsequence("body{}\n", "404 Not Found", "connection: close", "<p>docs</p>\n");
        assertThat(channel.isOpen()).isFalse();
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
        Files.setLastModifiedTime(file, FileTime.from(MODIFIED));
    }
}
