package dev.berth.http;

import static dev.berth.http.TestHttp.exchange;
import static dev.berth.http.TestHttp.hello;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpConnectionHandlerTest {

    private TestHttp.Service service = new TestHttp.Service(HttpSettings.defaults());

    @AfterEach
    void closeService() {
        service.close();
    }

    @Test
    void http11RequestGetsTheFixedResponseAndTheConnectionStaysOpen() {
        EmbeddedChannel channel = service.connect();

        assertThat(exchange(channel, "GET / HTTP/1.1\r\nHost: a\r\n\r\n")).isEqualTo(hello("", false));
        assertThat(exchange(channel, "GET /other HTTP/1.1\r\nHost: a\r\n\r\n")).isEqualTo(hello("", false));
        assertThat(channel.isOpen()).isTrue();
        assertThat(service.served).hasValue(2);
    }

    @Test
    void http11ConnectionCloseIsHonoured() {
        EmbeddedChannel channel = service.connect();

        assertThat(exchange(channel, "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")).isEqualTo(hello("close", false));
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void http10IsClosedAfterTheResponse() {
        EmbeddedChannel channel = service.connect();

        assertThat(exchange(channel, "GET / HTTP/1.0\r\n\r\n")).isEqualTo(hello("close", false));
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void http10KeepAliveIsAnnouncedAndKept() {
        EmbeddedChannel channel = service.connect();

        assertThat(exchange(channel, "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"))
                .isEqualTo(hello("keep-alive", false));
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() {
        EmbeddedChannel channel = service.connect();

        String responses = exchange(channel, "GET /1 HTTP/1.1\r\nHost: a\r\n\r\n"
                + "HEAD /2 HTTP/1.1\r\nHost: a\r\n\r\n"
                + "DELETE /3 HTTP/1.1\r\nHost: a\r\n\r\n"
                + "GET /4 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
                + "GET /5 HTTP/1.1\r\nHost: a\r\n\r\n");

        assertThat(responses).startsWith(hello("", false) + hello("", true) + "HTTP/1.1 405 ")
                .endsWith("Method Not Allowed\n" + hello("close", false));
        assertThat(channel.isOpen()).isFalse();
        assertThat(service.served).hasValue(4);
    }

    @Test
    void requestSplitAcrossReadsIsAnsweredOnceComplete() {
        EmbeddedChannel channel = service.connect();

        assertThat(exchange(channel, "GET / HTTP/1.1\r\nHost: a\r\nAcc")).isEmpty();
        assertThat(exchange(channel, "ept: */*\r\n\r\n")).isEqualTo(hello("", false));
    }

    @Test
    void headGetsTheHeadersWithoutTheBody() {
        EmbeddedChannel channel = service.connect();

        assertThat(exchange(channel, "HEAD / HTTP/1.1\r\nHost: a\r\n\r\n")).isEqualTo(hello("", true));
    }

    @Test
    void otherMethodsGet405WithAllow() {
        EmbeddedChannel channel = service.connect();

        String response = exchange(channel, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc");

        assertThat(response).startsWith("HTTP/1.1 405 Method Not Allowed\r\n")
                .contains("\r\nallow: GET, HEAD\r\n", "\r\ncontent-length: 19\r\n")
                .endsWith("\r\n\r\nMethod Not Allowed\n");
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void requestBodiesAreDiscarded() {
        EmbeddedChannel channel = service.connect();

        String responses = exchange(channel, "GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nGET /\r\n0\r\n\r\n"
                + "GET / HTTP/1.1\r\nHost: a\r\n\r\n");

        assertThat(responses).isEqualTo(hello("", false) + hello("", false));
    }

    @Test
    void unreadableRequestGets400AndTheConnectionCloses() {
        EmbeddedChannel channel = service.connect();

        String response = exchange(channel, "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: x\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 400 Bad Request\r\n").contains("\r\nconnection: close\r\n");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void overlongRequestLineGets414() {
        EmbeddedChannel channel = service.connect();

        String response = exchange(channel, "GET /" + "a".repeat(5000) + " HTTP/1.1\r\nHost: a\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 414 Request-URI Too Long\r\n");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void expectContinueOnGetIsAnsweredWith100First() {
        EmbeddedChannel channel = service.connect();

        String response = exchange(channel, "GET / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
        assertThat(response).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
        assertThat(exchange(channel, "hi")).isEqualTo(hello("", false));
    }

    @Test
    void expectContinueOnPostIsRefusedAtOnceAndClosed() {
        EmbeddedChannel channel = service.connect();

        String response = exchange(channel, "POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 405 ").contains("\r\nconnection: close\r\n");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void connectionClosesAfterMaxRequests() {
        service.close();
        service = new TestHttp.Service(new HttpSettings("hello\n", HttpSettings.DEFAULT_CONTENT_TYPE,
                Optional.empty(), "index.html", Duration.ofSeconds(60), HttpSettings.DEFAULT_HEADER_TIMEOUT, 2));
        EmbeddedChannel channel = service.connect();

        assertThat(exchange(channel, "GET / HTTP/1.1\r\nHost: a\r\n\r\n")).isEqualTo(hello("", false));
        assertThat(exchange(channel, "GET / HTTP/1.1\r\nHost: a\r\n\r\n")).isEqualTo(hello("close", false));
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void dateHeaderFollowsTheClockSecondBySecond() {
        EmbeddedChannel channel = service.connect();
        exchange(channel, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");

        service.clock.advanceMillis(999);
        assertThat(exchange(channel, "GET / HTTP/1.1\r\nHost: a\r\n\r\n")).contains("date: Thu, 01 Jan 2026 00:00:00 GMT");
        service.clock.advanceMillis(1);
        assertThat(exchange(channel, "GET / HTTP/1.1\r\nHost: a\r\n\r\n")).contains("date: Thu, 01 Jan 2026 00:00:01 GMT");
    }

    @Test
    void idleKeepAliveConnectionIsClosedAfterTheTimeout() {
        EmbeddedChannel channel = service.connect();
        exchange(channel, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");

        channel.advanceTimeBy(59, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isTrue();

        channel.advanceTimeBy(2, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void drainClosesIdleConnectionsAtOnce() {
        EmbeddedChannel idle = service.connect();
        exchange(idle, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");

        service.handler.onDrain();
        idle.runPendingTasks();

        assertThat(idle.isOpen()).isFalse();
    }

    @Test
    void drainAnswersAConnectionThatHasNotSentItsFirstRequestYetWithConnectionClose() {
        // found by the 30-minute soak: a connection the worker had just taken was closed by the
        // drain before its request arrived, and a fresh connection closed unanswered is a failure
        // to the client (unlike an idle keep-alive one, whose request it may retry)
        EmbeddedChannel fresh = service.connect();

        service.handler.onDrain();
        fresh.runPendingTasks();
        assertThat(fresh.isOpen()).isTrue();

        assertThat(exchange(fresh, "GET / HTTP/1.1\r\nHost: a\r\n\r\n")).isEqualTo(hello("close", false));
        assertThat(fresh.isOpen()).isFalse();
    }

    @Test
    void drainLetsARequestInProgressFinishWithConnectionClose() {
        EmbeddedChannel busy = service.connect();
        assertThat(exchange(busy, "GET / HTTP/1.1\r\nHost: a\r\n")).isEmpty();

        service.handler.onDrain();
        busy.runPendingTasks();
        assertThat(busy.isOpen()).isTrue();

        assertThat(exchange(busy, "\r\n")).isEqualTo(hello("close", false));
        assertThat(busy.isOpen()).isFalse();
    }

    @Test
    void afterDrainEveryResponseSaysConnectionClose() {
        service.handler.onDrain();
        EmbeddedChannel late = service.connect();

        assertThat(exchange(late, "GET / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n")).isEqualTo(hello("close", false));
        assertThat(late.isOpen()).isFalse();
    }

    @Test
    void closingTheServiceClosesItsConnections() {
        EmbeddedChannel channel = service.connect();

        service.handler.close();
        channel.runPendingTasks();

        assertThat(channel.isOpen()).isFalse();
    }
}
