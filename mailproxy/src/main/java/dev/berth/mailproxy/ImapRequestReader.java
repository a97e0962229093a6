package dev.berth.mailproxy;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads IMAP commands from a buffer that grows as bytes arrive, whatever the split: lines, quoted
 * strings, parenthesised lists (flattened) and literals, synchronising ({@code {n}}: the caller
 * must send a continuation) and non-synchronising ({@code {n+}}). Bounded, since nobody has logged
 * in yet: a line of at most {@link #MAX_LINE}, literals of at most {@link #MAX_LITERAL}, and one
 * command (its lines and literals together) of at most {@link #MAX_COMMAND} octets and
 * {@link #MAX_TOKENS} tokens, which is plenty for pre-login commands (an RFC 2971 ID list is at
 * most 30 pairs of 30 and 1024 octets). Without the last two, a chain of {@code {n+}} literals
 * would be held without end.
 *
 * <pre>
 *   LINE --"{n}" at line end--> LITERAL(n) --n bytes--> LINE --CRLF without literal--> command
 * </pre>
 *
 * Consumes only what it has parsed; keeps the partial command between calls. Confined to one
 * thread; pure (no I/O).
 */
final class ImapRequestReader {

    static final int MAX_LINE = 8192;
    static final int MAX_LITERAL = 8192;
    static final int MAX_COMMAND = 64 * 1024;
    static final int MAX_TOKENS = 256;

    /** The outcome of one {@link #read}. */
    sealed interface Result {
        /** Not enough bytes yet. */
        record NeedMore() implements Result {
        }

        /** A synchronising literal was announced: send {@code + } and read again. */
        record Continue() implements Result {
        }

        /** A whole command (or a {@link ImapCommand.Bad} line). */
        record Command(ImapCommand command) implements Result {
        }

        /**
         * A line, literal or command over the bounds: answer and close.
         *
         * @param what which bound, for the {@code * BYE}
         */
        record TooLong(String what) implements Result {
        }
    }

    private static final Result LINE_TOO_LONG = new Result.TooLong("line or literal too long");
    private static final Result COMMAND_TOO_LONG = new Result.TooLong("command too long");

    private final List<String> tokens = new ArrayList<>();
    private int commandBytes;
    private int literal = -1;
    private boolean nonSync;
    private String error;

    /** Reads as far as the buffer allows. */
    Result read(ByteBuf in) {
        while (true) {
            if (literal >= 0) {
                if (in.readableBytes() < literal) {
                    return new Result.NeedMore();
                }
                tokens.add(in.readCharSequence(literal, StandardCharsets.UTF_8).toString());
                literal = -1;
                if (tokens.size() > MAX_TOKENS) {
                    return COMMAND_TOO_LONG;
                }
            }
            int lf = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
            if (lf < 0) {
                return in.readableBytes() > MAX_LINE ? LINE_TOO_LONG : new Result.NeedMore();
            }
            int end = lf > in.readerIndex() && in.getByte(lf - 1) == '\r' ? lf - 1 : lf;
            if (end - in.readerIndex() > MAX_LINE) {
                return LINE_TOO_LONG;
            }
            commandBytes += lf + 1 - in.readerIndex();
            String part = in.toString(in.readerIndex(), end - in.readerIndex(), StandardCharsets.UTF_8);
            in.readerIndex(lf + 1);
            int announced = tokenize(part);
            if (announced == -2) {
                return LINE_TOO_LONG;
            }
            if (tokens.size() > MAX_TOKENS || announced > 0 && commandBytes + announced > MAX_COMMAND) {
                return COMMAND_TOO_LONG;
            }
            commandBytes += Math.max(0, announced);
            if (announced >= 0) {
                literal = announced;
                if (!nonSync) {
                    return new Result.Continue();
                }
                continue;
            }
            return new Result.Command(finish());
        }
    }

    /** Reads one raw line (an AUTHENTICATE response), or null when none is complete. */
    String readLine(ByteBuf in) {
        int lf = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
        if (lf < 0) {
            return null;
        }
        int end = lf > in.readerIndex() && in.getByte(lf - 1) == '\r' ? lf - 1 : lf;
        String line = in.toString(in.readerIndex(), end - in.readerIndex(), StandardCharsets.UTF_8);
        in.readerIndex(lf + 1);
        return line;
    }

    /** Splits a line fragment into tokens; returns the announced literal size, -1 for none, -2 if too big. */
    private int tokenize(String part) {
        int i = 0;
        int n = part.length();
        while (i < n) {
            char c = part.charAt(i);
            if (c == ' ') {
                i++;
            } else if (c == '(' || c == ')') {
                i++;
            } else if (c == '"') {
                StringBuilder s = new StringBuilder();
                i++;
                boolean closed = false;
                while (i < n) {
                    char q = part.charAt(i++);
                    if (q == '\\' && i < n) {
                        s.append(part.charAt(i++));
                    } else if (q == '"') {
                        closed = true;
                        break;
                    } else {
                        s.append(q);
                    }
                }
                if (!closed && error == null) {
                    error = "unterminated quoted string";
                }
                tokens.add(s.toString());
            } else if (c == '{' && part.endsWith("}")) {
                String size = part.substring(i + 1, n - 1);
                nonSync = size.endsWith("+");
                if (nonSync) {
                    size = size.substring(0, size.length() - 1);
                }
                if (size.isEmpty() || size.length() > 9 || !size.chars().allMatch(Character::isDigit)) {
                    if (error == null) {
                        error = "bad literal size";
                    }
                    return -1;
                }
                int bytes = Integer.parseInt(size);
                return bytes > MAX_LITERAL ? -2 : bytes;
            } else {
                int start = i;
                while (i < n && part.charAt(i) != ' ' && part.charAt(i) != '(' && part.charAt(i) != ')') {
                    i++;
                }
                tokens.add(part.substring(start, i));
            }
        }
        return -1;
    }

    private ImapCommand finish() {
        List<String> t = List.copyOf(tokens);
        String problem = error;
        tokens.clear();
        commandBytes = 0;
        error = null;
        if (t.isEmpty()) {
            return new ImapCommand.Bad("", "empty command line");
        }
        String tag = t.get(0);
        if (!validTag(tag)) {
            return new ImapCommand.Bad("", "invalid tag");
        }
        if (problem != null) {
            return new ImapCommand.Bad(tag, problem);
        }
        if (t.size() < 2) {
            return new ImapCommand.Bad(tag, "missing command");
        }
        String verb = t.get(1).toUpperCase(Locale.ROOT);
        List<String> args = t.subList(2, t.size());
        return switch (verb) {
            case "CAPABILITY" -> new ImapCommand.Capability(tag);
            case "STARTTLS" -> new ImapCommand.StartTls(tag);
            case "NOOP" -> new ImapCommand.Noop(tag);
            case "LOGOUT" -> new ImapCommand.Logout(tag);
            case "ID" -> new ImapCommand.Id(tag, args);
            case "LOGIN" -> args.size() == 2 ? new ImapCommand.Login(tag, args.get(0), args.get(1))
                    : new ImapCommand.Bad(tag, "LOGIN takes a user name and a password");
            case "AUTHENTICATE" -> args.isEmpty() || args.size() > 2
                    ? new ImapCommand.Bad(tag, "AUTHENTICATE takes a mechanism and an optional initial response")
                    : new ImapCommand.Authenticate(tag, args.get(0).toUpperCase(Locale.ROOT), args.size() == 2 ? args.get(1) : "");
            default -> new ImapCommand.Other(tag, verb);
        };
    }

    private static boolean validTag(String tag) {
        return !tag.isEmpty() && tag.chars().allMatch(c -> c > ' ' && c < 0x7f
                && c != '(' && c != ')' && c != '{' && c != '%' && c != '*' && c != '"' && c != '\\' && c != '+');
    }
}
