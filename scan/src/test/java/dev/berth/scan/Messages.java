package dev.berth.scan;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Test messages, CRLF line ends. */
final class Messages {

    static final String EICAR = SignatureScanner.EICAR;
    static final String GTUBE = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X";

    private Messages() {
    }

    /**
     * A message of about {@code size} bytes made as it is read, never held: a header, then lines
     * of 8-bit text (UTF-8), then {@code tail}.
     */
    static MessageContent generated(long size, String tail) {
        byte[] head = crlf(plain("")).getBytes(StandardCharsets.ISO_8859_1);
        byte[] line = "Grüße aus Köln, ça va? Ünïcödé everywhere, and nothing to see here at all.\r\n"
                .getBytes(StandardCharsets.UTF_8);
        byte[] end = crlf(tail).getBytes(StandardCharsets.ISO_8859_1);
        long lines = (size - head.length - end.length) / line.length;
        long total = head.length + lines * line.length + end.length;
        return new MessageContent() {
            @Override
            public long size() {
                return total;
            }

            @Override
            public InputStream open() {
                return new InputStream() {
                    private long position;

                    @Override
                    public int read() {
                        byte[] one = new byte[1];
                        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                    }

                    @Override
                    public int read(byte[] bytes, int offset, int length) {
                        if (position >= total) {
                            return -1;
                        }
                        int n = (int) Math.min(length, total - position);
                        for (int i = 0; i < n; i++, position++) {
                            bytes[offset + i] = at(position);
                        }
                        return n;
                    }
                };
            }

            private byte at(long p) {
                if (p < head.length) {
                    return head[(int) p];
                }
                long body = p - head.length;
                return body < lines * line.length ? line[(int) (body % line.length)] : end[(int) (body - lines * line.length)];
            }
        };
    }

    static MessageContent of(String text) {
        return MessageContent.of(crlf(text).getBytes(StandardCharsets.ISO_8859_1));
    }

    static String crlf(String text) {
        return text.replace("\r\n", "\n").replace("\n", "\r\n");
    }

    static String plain(String body) {
        return """
                From: alice@example.test
                To: bob@example.test
                Subject: hello
                Message-ID: <1@example.test>
                Date: Sun, 22 Nov 2026 04:00:00 +0000

                """ + body + "\n";
    }

    /** EICAR as a base64 attachment, its base64 folded at 20 characters so no line holds it whole. */
    static String base64Attachment(String content) {
        String encoded = Base64.getMimeEncoder(20, "\r\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(content.getBytes(StandardCharsets.ISO_8859_1));
        return """
                From: alice@example.test
                To: bob@example.test
                Subject: attachment
                MIME-Version: 1.0
                Content-Type: multipart/mixed; boundary="b1"

                --b1
                Content-Type: text/plain

                see attached
                --b1
                Content-Type: application/octet-stream; name="eicar.com"
                Content-Transfer-Encoding: base64
                Content-Disposition: attachment; filename="eicar.com"

                """ + encoded + """

                --b1--
                """;
    }
}
