package dev.berth.smtp;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * One SMTP reply: a three-digit code, an optional RFC 3463 enhanced status code and one or more
 * text lines. Encoded as {@code code-text} for all lines but the last, {@code code text} for the
 * last, with the enhanced code before each line's text.
 *
 * @param code the reply code, 200..599
 * @param enhanced the enhanced status code such as {@code 5.1.1}, or empty for none (greeting,
 *     EHLO, 334, 354)
 * @param lines the text lines, at least one; no CR or LF
 */
record SmtpReply(int code, String enhanced, List<String> lines) {

    SmtpReply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("code: " + code);
        }
        Objects.requireNonNull(enhanced, "enhanced");
        lines = List.copyOf(lines);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("lines: empty");
        }
        for (String line : lines) {
            if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("lines: CR or LF in " + line);
            }
        }
    }

    /** A one-line reply. */
    static SmtpReply of(int code, String enhanced, String text) {
        return new SmtpReply(code, enhanced, List.of(text));
    }

    /** A one-line reply without an enhanced code. */
    static SmtpReply plain(int code, String text) {
        return new SmtpReply(code, "", List.of(text));
    }

    boolean isError() {
        return code >= 400;
    }

    boolean isPositive() {
        return code < 400;
    }

    /** The wire form, CRLF-terminated lines, UTF-8. */
    byte[] encode() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            out.append(code).append(i == lines.size() - 1 ? ' ' : '-');
            if (!enhanced.isEmpty()) {
                out.append(enhanced).append(' ');
            }
            out.append(lines.get(i)).append("\r\n");
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return new String(encode(), StandardCharsets.UTF_8).strip();
    }
}
