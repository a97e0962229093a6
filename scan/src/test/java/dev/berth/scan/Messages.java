package dev.berth.scan;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Test messages, CRLF line ends. */
final class Messages {

    static final String EICAR = SignatureScanner.EICAR;
    static final String GTUBE = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X";

    private Messages() {
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
