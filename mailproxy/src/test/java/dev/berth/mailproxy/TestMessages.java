package dev.berth.mailproxy;

import dev.berth.mailwire.DotStuffer;
import dev.berth.mailwire.DotUnstuffer;
import dev.berth.testpeers.Clamd;
import dev.berth.testpeers.Dovecot;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The mailboxes the proxy tests read through: alice has three messages (a plain one, one with
 * lines starting with '.', one with EICAR in a base64 attachment), bob@example.org one, carol one
 * of about 3 MB. All passwords are {@code secret}.
 */
final class TestMessages {

    static final String PLAIN = "From: a@example.org\r\nTo: alice@example.org\r\nSubject: hello\r\n"
            + "Message-ID: <1@example.org>\r\n\r\nhello alice\r\nsecond line\r\n";
    static final String DOTS = "From: a@example.org\r\nTo: alice@example.org\r\nSubject: dots\r\n"
            + "Message-ID: <2@example.org>\r\n\r\n.starts with a dot\r\n..two dots\r\n.\r\nend\r\n";
    static final String VIRUS = Clamd.infectedMessage("From: a@example.org\r\nTo: alice@example.org\r\n"
            + "Subject: eicar\r\nMessage-ID: <3@example.org>\r\n");

    private TestMessages() {
    }

    /**
     * Starts a Dovecot in {@code dir} with these mailboxes and no delay after a failed login.
     * Blocks until it listens; the caller closes it.
     */
    static Dovecot dovecot(Path dir) {
        return Dovecot.in(dir).user("carol", "secret")
                .message("alice", PLAIN).message("alice", DOTS).message("alice", VIRUS)
                .message("bob@example.org", PLAIN.replace("alice", "bob"))
                .message("carol", big())
                .config("auth_failure_delay = 0")
                .start();
    }

    /** The message as a POP3 server sends it after {@code +OK}: dot-stuffed, then {@code .CRLF}. */
    static String stuffed(String message) {
        byte[] bytes = message.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuf out = Unpooled.buffer();
        DotStuffer stuffer = new DotStuffer();
        stuffer.stuff(bytes, 0, bytes.length, out);
        stuffer.finish(out);
        try {
            return out.toString(StandardCharsets.ISO_8859_1);
        } finally {
            out.release();
        }
    }

    /** A multi-line reply body (up to and without its {@code .CRLF}) as the message it carries. */
    static String unstuffed(byte[] multiline) {
        ByteBuf in = Unpooled.wrappedBuffer(multiline);
        ByteBuf out = Unpooled.buffer();
        DotUnstuffer.lenient().unstuff(in, out);
        try {
            return out.toString(StandardCharsets.ISO_8859_1);
        } finally {
            out.release();
        }
    }

    /** Carol's one message: about 3 MB of text, every seventh line starting with a dot. */
    static String big() {
        StringBuilder text = new StringBuilder("From: a@example.org\r\nTo: carol@example.org\r\nSubject: big\r\n\r\n");
        for (int i = 0; i < 40_000; i++) {
            text.append(i % 7 == 0 ? "." : "").append("line ").append(i).append(' ').append("x".repeat(64)).append("\r\n");
        }
        return text.toString();
    }
}
