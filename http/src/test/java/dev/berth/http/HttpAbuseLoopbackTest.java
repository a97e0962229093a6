package dev.berth.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testpeers.Await;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 item 5 over loopback: a smuggling attempt from a raw socket and from curl, a request
 * without Host from curl, and 200 connections that dribble their heads one byte at a time.
 */
class HttpAbuseLoopbackTest {

    private static final Duration HEADER_TIMEOUT = Duration.ofSeconds(1);

    private final LoopbackServer server = new LoopbackServer(new HttpSettings(HttpSettings.DEFAULT_RESPONSE,
            HttpSettings.DEFAULT_CONTENT_TYPE, Optional.empty(), HttpSettings.DEFAULT_INDEX,
            HttpSettings.DEFAULT_KEEP_ALIVE_TIMEOUT, HEADER_TIMEOUT, 0));

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aSmuggledRequestBehindClAndTeIsNeverAnswered() throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setSoTimeout((int) LoopbackServer.TIMEOUT.toMillis());
            socket.getOutputStream().write(("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 42\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
                    + "GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n").getBytes(StandardCharsets.US_ASCII));

            String answer = readToEnd(socket.getInputStream());

            assertThat(answer).startsWith("HTTP/1.1 400 Bad Request\r\n").containsOnlyOnce("HTTP/1.1 ");
        }
    }

    @Test
    void curlSendingClAndTeGets400() throws Exception {
        LoopbackServer.Curl curl = LoopbackServer.curl("-o", "/dev/null", "-w", "%{http_code}",
                "-H", "Transfer-Encoding: chunked", "-H", "Content-Length: 3", "--data-binary", "abc",
                server.base().toString());

        assertThat(curl.output()).isEqualTo("400");
    }

    @Test
    void curlWithoutHostGets400AndWithItGets200() throws Exception {
        LoopbackServer.Curl without = LoopbackServer.curl("-o", "/dev/null", "-w", "%{http_code}", "-H", "Host:",
                server.base().toString());
        LoopbackServer.Curl with = LoopbackServer.curl("-o", "/dev/null", "-w", "%{http_code}", server.base().toString());

        assertThat(without.output()).isEqualTo("400");
        assertThat(with.output()).isEqualTo("200");
    }

    @Test
    void twoHundredDribblingConnectionsAreAllClosedByTheHeaderTimeout() throws IOException {
        byte[] head = "GET / HTTP/1.1\r\nHost: a\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);
        List<Dribbler> open = new ArrayList<>();
        List<String> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                open.add(new Dribbler(SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                        server.port()))));
            }
            int[] sent = {0};
            boolean allClosed = Await.until(Duration.ofSeconds(30), Duration.ofMillis(100), () -> {
                byte next = sent[0] < head.length ? head[sent[0]] : (byte) 'z';
                sent[0]++;
                open.removeIf(dribbler -> dribbler.closedAfter(next, answers));
                return open.isEmpty();
            });

            assertThat(allClosed).as("%d of 200 still open after %d bytes each", open.size(), sent[0]).isTrue();
            assertThat(answers).hasSize(200).allSatisfy(a -> assertThat(a).startsWith("HTTP/1.1 408 "));
        } finally {
            for (Dribbler dribbler : open) {
                dribbler.channel.close();
            }
        }
    }

    /** A client that sends its head one byte per call, and keeps what the server answered. */
    private static final class Dribbler {
        private final SocketChannel channel;
        private final ByteArrayOutputStream answer = new ByteArrayOutputStream();

        Dribbler(SocketChannel channel) throws IOException {
            this.channel = channel;
            channel.configureBlocking(false);
        }

        /** Reads what came, then writes {@code next}; returns whether the server has closed (answer recorded). */
        boolean closedAfter(byte next, List<String> answers) {
            try {
                ByteBuffer buffer = ByteBuffer.allocate(4096);
                int n;
                while ((n = channel.read(buffer.clear())) > 0) {
                    answer.write(buffer.array(), 0, n);
                }
                if (n < 0) {
                    answers.add(answer.toString(StandardCharsets.US_ASCII));
                    channel.close();
                    return true;
                }
                channel.write(ByteBuffer.wrap(new byte[] {next}));
                return false;
            } catch (IOException reset) {
                answers.add(answer.toString(StandardCharsets.US_ASCII) + "(reset: " + reset.getMessage() + ")");
                return true;
            }
        }
    }

    private static String readToEnd(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
}
