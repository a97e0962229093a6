package dev.berth.http;

import static dev.berth.http.TestHttp.exchange;
import static dev.berth.http.TestHttp.hello;
import static dev.berth.http.TestHttp.written;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 11 item 5 at the unit level: requests framed so that another hop could read them
 * differently get 400 and the connection closes before anything after them is answered; a bad
 * Host gets 400; a head that does not arrive whole within the header timeout is cut off.
 */
class HttpAbuseTest {

    /** What a smuggler puts behind a request: a second request another hop would see as body. */
    private static final String SMUGGLED = "GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n";

    private final TestHttp.Service service = new TestHttp.Service(HttpSettings.defaults());

    @AfterEach
    void closeService() {
        service.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: identity\r\nContent-Length: 5\r\n\r\nhello",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n",
        "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n0\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\nhello",
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\nhello",
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello",
        "POST / HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 5\r\nContent-Length: 0\r\n\r\nhello",
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n",
    })
    void ambiguousFramingGets400AndNothingAfterItIsAnswered(String request) {
        EmbeddedChannel channel = service.connect();

        String responses = exchange(channel, request + SMUGGLED);

        assertOne400AndClosed(channel, responses);
    }

    @Test
    void clAndTeTogetherAreRefusedAtEverySplitPoint() {
        String request = "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 39\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
                + SMUGGLED;
        for (int split = 1; split < request.length(); split++) {
            EmbeddedChannel channel = service.connect();

            String responses = exchange(channel, request.substring(0, split));
            if (channel.isOpen()) {
                responses += exchange(channel, request.substring(split));
            }

            assertThat(responses).as("split at %d", split).startsWith("HTTP/1.1 400 Bad Request\r\n")
                    .containsOnlyOnce("HTTP/1.1 ");
            assertThat(channel.isOpen()).as("split at %d", split).isFalse();
        }
    }

    @Test
    void aSingleFinalChunkedIsStillServed() {
        EmbeddedChannel channel = service.connect();

        String responses = exchange(channel, "GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n"
                + "3\r\nabc\r\n0\r\n\r\n" + SMUGGLED);

        assertThat(responses).isEqualTo(hello("", false) + hello("", false));
        assertThat(channel.isOpen()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "GET / HTTP/1.1\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
        "GET / HTTP/1.0\r\nHost: a\r\nHost: a\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: \r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a b\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: user@a\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a:80x\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a:123456\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: [::1\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: \u00e9.example\r\n\r\n",
    })
    void missingRepeatedOrInvalidHostGets400(String request) {
        EmbeddedChannel channel = service.connect();

        String responses = exchange(channel, request + SMUGGLED);

        assertOne400AndClosed(channel, responses);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "example.test:8080", "127.0.0.1:80", "[::1]:8080", "[v1.fe]", "xn--bcher-kva.example"})
    void aValidHostIsServed(String host) {
        EmbeddedChannel channel = service.connect();

        assertThat(exchange(channel, "GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n")).isEqualTo(hello("", false));
    }

    @Test
    void http10WithoutHostIsServed() {
        EmbeddedChannel channel = service.connect();

        assertThat(exchange(channel, "GET / HTTP/1.0\r\n\r\n")).isEqualTo(hello("close", false));
    }

    @Test
    void aConnectionThatSendsNothingIsClosedAtTheHeaderTimeoutWithoutAResponse() {
        EmbeddedChannel channel = service.connect();

        advance(channel, HttpSettings.DEFAULT_HEADER_TIMEOUT.toMillis() - 1);
        assertThat(channel.isOpen()).isTrue();
        advance(channel, 1);

        assertThat(channel.isOpen()).isFalse();
        assertThat(written(channel)).isEmpty();
    }

    @Test
    void aDribbledHeadGets408AtTheHeaderTimeoutThoughBytesKeepComing() {
        EmbeddedChannel channel = service.connect();
        String dribble = "GET / HTTP/1.1\r\nHost: a\r\nX-Padding: " + "z".repeat(100);

        StringBuilder answered = new StringBuilder();
        for (int i = 0; i < dribble.length() && channel.isOpen(); i++) {
            answered.append(exchange(channel, dribble.substring(i, i + 1)));
            advance(channel, 500);
        }
        answered.append(new String(written(channel), StandardCharsets.ISO_8859_1));

        assertThat(answered.toString()).startsWith("HTTP/1.1 408 Request Timeout\r\n").contains("connection: close");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void theHeaderTimeoutRestartsAtTheFirstByteOfTheNextRequest() {
        EmbeddedChannel channel = service.connect();
        assertThat(exchange(channel, "GET / HTTP/1.1\r\nHost: a\r\n\r\n")).isEqualTo(hello("", false));

        advance(channel, 30_000);
        assertThat(channel.isOpen()).as("idle between requests: the keep-alive timeout applies").isTrue();
        assertThat(exchange(channel, "GET / HTTP/1.1\r\nHo")).isEmpty();
        advance(channel, HttpSettings.DEFAULT_HEADER_TIMEOUT.toMillis() - 1);
        assertThat(channel.isOpen()).isTrue();
        advance(channel, 1);

        assertThat(new String(written(channel), StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 408 ");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aHeadThatArrivedInTimeIsNotCutOffWhileItsBodyComes() {
        EmbeddedChannel channel = service.connect();
        assertThat(exchange(channel, "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nab")).isEmpty();

        advance(channel, HttpSettings.DEFAULT_HEADER_TIMEOUT.toMillis() + 1);

        assertThat(channel.isOpen()).isTrue();
        assertThat(exchange(channel, "cd")).isEqualTo(hello("", false));
    }

    private static void assertOne400AndClosed(EmbeddedChannel channel, String responses) {
        assertThat(responses).startsWith("HTTP/1.1 400 Bad Request\r\n").contains("\r\nconnection: close\r\n")
                .containsOnlyOnce("HTTP/1.1 ");
        assertThat(channel.isOpen()).isFalse();
    }

    private static void advance(EmbeddedChannel channel, long millis) {
        channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
    }
}
