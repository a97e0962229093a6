package dev.berth.pop3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.mailwire.DotStuffer;
import dev.berth.mailwire.Pop3Command;
import dev.berth.mailwire.TopLimit;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Runs text-block conversations against a session without a channel: lines {@code C: ...} are
 * parsed as the decoder would and handled; every reply line is recorded as {@code S: ...}. The
 * result must equal the whole transcript. Trailing spaces are dropped (text blocks drop them too), so
 * an empty line reads {@code S:} and the {@code + } continuation reads {@code S: +}.
 */
final class Transcript {

    private Transcript() {
    }

    /** Plays the client lines of {@code transcript} and checks the server lines. */
    static void check(Pop3Session session, String transcript) {
        assertThat(play(session, transcript)).isEqualTo(transcript);
    }

    /** Plays the client lines and returns the conversation as it happened. */
    static String play(Pop3Session session, String transcript) {
        StringBuilder actual = new StringBuilder();
        boolean sasl = false;
        for (String line : transcript.lines().toList()) {
            if (!line.startsWith("C: ")) {
                continue;
            }
            String sent = line.substring(3);
            actual.append(line).append('\n');
            Pop3Command command = sasl ? new Pop3Command.SaslResponse(sent) : Pop3Command.parse(sent);
            Outcome outcome = session.handle(command);
            sasl = outcome.next() == Outcome.Next.SASL_RESPONSE;
            for (String reply : render(outcome.reply()).split("\r\n")) {
                actual.append(("S: " + reply).stripTrailing()).append('\n');
            }
        }
        return actual.toString();
    }

    /** A reply as the client receives it, message bodies included. */
    static String render(Pop3Reply reply) {
        if (!(reply instanceof Pop3Reply.Content content)) {
            return Pop3ReplyEncoder.render(reply);
        }
        ByteBuf out = Unpooled.buffer();
        try (InputStream in = content.source().open()) {
            out.writeCharSequence(Pop3ReplyEncoder.render(reply), StandardCharsets.UTF_8);
            DotStuffer stuffer = new DotStuffer();
            byte[] bytes = in.readAllBytes();
            stuffer.stuff(bytes, 0, new TopLimit(content.bodyLines()).take(bytes, 0, bytes.length), out);
            stuffer.finish(out);
            return out.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            out.release();
        }
    }
}
