package dev.berth.mailproxy;

import dev.berth.mailwire.Pop3Command;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * Pairs the client's commands with the upstream's responses on a scanning POP3 session, so that
 * the response reader knows which response is multi-line and which carries a message. Commands
 * are recorded as the client sends them (pipelining included); responses take them in order.
 * Both legs run on one event loop, which confines this object.
 */
final class Pop3Exchange {

    /** How the response to a command is framed. */
    enum Expect {
        /** One status line. */
        SINGLE,
        /** A status line, then (after +OK) lines up to {@code .CRLF}: LIST, UIDL, CAPA. */
        MULTI,
        /** Like MULTI, but the lines are a message to scan: RETR, TOP. */
        MESSAGE
    }

    private static final int MAX_KEPT = 256;

    private final ArrayDeque<Expect> expected = new ArrayDeque<>();
    private final StringBuilder line = new StringBuilder();

    /** Records the commands in bytes the client sent; does not consume or release them. */
    void observeClient(ByteBuf bytes) {
        for (int i = bytes.readerIndex(); i < bytes.writerIndex(); i++) {
            char c = (char) (bytes.getByte(i) & 0xff);
            if (c == '\n') {
                expected.add(classify(line.toString().strip()));
                line.setLength(0);
            } else if (line.length() < MAX_KEPT) {
                line.append(c);
            }
        }
    }

    /** The framing of the next response; SINGLE when no command is outstanding. */
    Expect next() {
        Expect e = expected.poll();
        return e == null ? Expect.SINGLE : e;
    }

    /** The framing of a response to one command line. Pure. */
    static Expect classify(String command) {
        return switch (Pop3Command.parse(command)) {
            case Pop3Command.Retr r -> Expect.MESSAGE;
            case Pop3Command.Top t -> Expect.MESSAGE;
            case Pop3Command.ListMessages l -> l.message().isEmpty() ? Expect.MULTI : Expect.SINGLE;
            case Pop3Command.Uidl u -> u.message().isEmpty() ? Expect.MULTI : Expect.SINGLE;
            case Pop3Command.Capa c -> Expect.MULTI;
            default -> Expect.SINGLE;
        };
    }

    /** Whether a status line is positive. */
    static boolean isOk(ByteBuf line) {
        return line.readableBytes() >= 3
                && line.toString(line.readerIndex(), 3, StandardCharsets.US_ASCII).equals("+OK");
    }
}
