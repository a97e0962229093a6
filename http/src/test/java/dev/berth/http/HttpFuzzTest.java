package dev.berth.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.berth.testpeers.FuzzStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fuzzes the HTTP request path: the service's whole pipeline on a channel, any bytes cut into any
 * reads. Holds that no exception leaves the pipeline, that what the server writes is a sequence of
 * well-formed responses (status line, {@code name: value} headers, a body of its content-length,
 * absent after HEAD), and that a 400 is the last response of its connection, which is then closed
 * (a request the server could not read leaves nothing it could trust after it: RFC 9112 6.3).
 * Seeds: {@code HttpFuzzTestInputs/}.
 */
class HttpFuzzTest {

    private static final Pattern STATUS = Pattern.compile("HTTP/1\\.[01] ([1-5][0-9][0-9]) [^\r\n]*");
    private static final Pattern HEADER = Pattern.compile("([!#$%&'*+.^_`|~0-9A-Za-z-]+): ?([^\r\n]*)");
    private static final TestHttp.Service SERVICE = new TestHttp.Service(HttpSettings.defaults());

    @FuzzTest
    void everyResponseIsWellFormedAndA400EndsTheConnection(byte[] input) {
        EmbeddedChannel channel = SERVICE.connect();
        StringBuilder written = new StringBuilder();
        try {
            for (byte[] read : FuzzStream.reads(input)) {
                if (!channel.isActive()) {
                    break;
                }
                channel.writeInbound(Unpooled.wrappedBuffer(read));
                written.append(new String(TestHttp.written(channel), StandardCharsets.ISO_8859_1));
            }
            boolean badRequest = checkResponses(written.toString());
            if (badRequest) {
                assertThat(channel.isActive()).as("the connection after a 400").isFalse();
            }
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    /** Parses the responses; true if the last one is a 400. */
    private static boolean checkResponses(String out) {
        int at = 0;
        boolean badRequest = false;
        while (at < out.length()) {
            assertThat(badRequest).as("a response after a 400 in %s", out).isFalse();
            int headEnd = out.indexOf("\r\n\r\n", at);
            assertThat(headEnd).as("the end of a response head in %s", out.substring(at)).isGreaterThan(0);
            String[] lines = out.substring(at, headEnd).split("\r\n", -1);
            Matcher status = STATUS.matcher(lines[0]);
            assertThat(status.matches()).as("status line %s", lines[0]).isTrue();
            badRequest = status.group(1).equals("400");
            long length = -1;
            for (int i = 1; i < lines.length; i++) {
                Matcher header = HEADER.matcher(lines[i]);
                assertThat(header.matches()).as("header line %s", lines[i]).isTrue();
                if (header.group(1).toLowerCase(Locale.ROOT).equals("content-length")) {
                    length = Long.parseLong(header.group(2).strip());
                }
            }
            assertThat(length).as("content-length of %s", lines[0]).isGreaterThanOrEqualTo(0);
            at = headEnd + 4;
            boolean headResponse = out.startsWith("HTTP/1.", at) || at == out.length();
            if (!headResponse) {
                assertThat(out.length() - at).as("body of %s", lines[0]).isGreaterThanOrEqualTo((int) length);
                at += (int) length;
            }
        }
        return badRequest;
    }
}
