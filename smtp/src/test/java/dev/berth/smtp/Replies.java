package dev.berth.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/** What a well-formed SMTP reply is, for the fuzz target and the abuse tests. */
final class Replies {

    /** RFC 5321 4.5.3.1.5: a reply line is at most 512 octets, CRLF included. */
    static final int MAX_REPLY_LINE = 512;

    private static final Pattern LINE = Pattern.compile("([2-5][0-9][0-9])([ -])(?:([245])\\.[0-9]{1,3}\\.[0-9]{1,3} )?[^\r\n]*");

    private Replies() {
    }

    /**
     * Checks one encoded reply: every line {@code code[-| ][enhanced ]text} CRLF and at most 512
     * octets, one code throughout, a hyphen on all lines but the last, and an enhanced code whose
     * class is the reply's (RFC 3463).
     */
    static void checkSmtp(byte[] encoded) {
        String text = new String(encoded, StandardCharsets.UTF_8);
        assertThat(text).endsWith("\r\n");
        List<String> lines = List.of(text.substring(0, text.length() - 2).split("\r\n", -1));
        String code = lines.getFirst().substring(0, Math.min(3, lines.getFirst().length()));
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            var m = LINE.matcher(line);
            assertThat(m.matches()).as("reply line %s", line).isTrue();
            assertThat(m.group(1)).as("code of %s", line).isEqualTo(code);
            assertThat(m.group(2)).as("continuation of %s", line).isEqualTo(i == lines.size() - 1 ? " " : "-");
            if (m.group(3) != null) {
                assertThat(m.group(3)).as("enhanced class of %s", line).isEqualTo(code.substring(0, 1));
            }
            assertThat(line.getBytes(StandardCharsets.UTF_8).length + 2).as("octets of %s", line)
                    .isLessThanOrEqualTo(MAX_REPLY_LINE);
        }
    }
}
