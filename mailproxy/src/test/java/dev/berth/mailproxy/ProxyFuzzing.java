package dev.berth.mailproxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.config.HostPort;
import dev.berth.testpeers.FuzzStream;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The driver both proxy fuzz targets share: any bytes, cut into any reads, through a
 * {@link ProxySession} the way {@link ProxyFrontend} drives it (a buffer compacted after each read,
 * plaintext dropped at STLS/STARTTLS, a failed upstream login answered by
 * {@link ProxySession#loginFailed}). Holds that no exception leaves the session, that every reply is
 * CRLF lines without a stray CR or LF whose lines the protocol's {@code line} test accepts, that
 * nothing is read after a closing reply, and that the buffer never holds more than one line, one
 * literal and one read.
 */
final class ProxyFuzzing {

    private static final HostPort UPSTREAM = new HostPort("127.0.0.1", 11110);

    private ProxyFuzzing() {
    }

    static void run(Protocol protocol, byte[] input, String loginFailure, Predicate<String> line) {
        UpstreamRouter router = new UpstreamRouter(new Route.UserAtHost(), List.of(UPSTREAM), 110, Optional.empty());
        ProxySession session = ProxySession.of(protocol, router, true);
        LineBuffer buffer = new LineBuffer(ByteBufAllocator.DEFAULT, session.maxLine());
        try {
            check(session.greeting(), line);
            for (byte[] read : FuzzStream.reads(input)) {
                buffer.add(Unpooled.wrappedBuffer(read));
                if (!drain(session, buffer, loginFailure, line)) {
                    return;
                }
                buffer.bytes().discardSomeReadBytes();
                assertThat(buffer.bytes().readableBytes()).as("octets the buffer holds")
                        .isLessThanOrEqualTo(session.maxLine() + ImapRequestReader.MAX_LITERAL + read.length + 2);
            }
        } finally {
            buffer.release();
        }
    }

    /** Handles every command buffered; false once the connection would close. */
    private static boolean drain(ProxySession session, LineBuffer buffer, String loginFailure, Predicate<String> line) {
        for (Optional<ProxyStep> next; (next = session.next(buffer)).isPresent(); ) {
            ProxyStep step = next.get();
            while (step instanceof ProxyStep.Login) {
                step = session.loginFailed(loginFailure);
            }
            switch (step) {
                case ProxyStep.Reply reply -> {
                    check(reply.text(), line);
                    if (reply.close()) {
                        return false;
                    }
                }
                case ProxyStep.StartTls tls -> {
                    check(tls.reply(), line);
                    buffer.clear();
                }
                case ProxyStep.Login login -> throw new AssertionError("unreachable");
            }
        }
        return true;
    }

    private static void check(String text, Predicate<String> line) {
        for (String l : text.split("\r\n", -1)) {
            assertThat(l).as("a reply line").doesNotContain("\r", "\n");
            assertThat(line.test(l)).as("reply line %s", l).isTrue();
        }
    }
}
