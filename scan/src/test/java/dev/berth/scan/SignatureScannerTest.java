package dev.berth.scan;

import static dev.berth.scan.Messages.EICAR;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SignatureScannerTest {

    private final Scanner scanner = new SignatureScanner("sig", List.of());
    private final Verdict eicar = new Verdict.Infected("sig", "Eicar-Test-Signature");

    @Test
    void cleanMessagePasses() {
        assertThat(scanner.scan(Messages.of(Messages.plain("just text")))).isEqualTo(new Verdict.Clean("sig"));
    }

    @Test
    void eicarInTheRawMessageIsFound() {
        assertThat(scanner.scan(Messages.of(Messages.plain(EICAR)))).isEqualTo(eicar);
    }

    @Test
    void eicarInABase64AttachmentIsFound() {
        String message = Messages.base64Attachment(EICAR);
        assertThat(message).doesNotContain("EICAR");
        assertThat(scanner.scan(Messages.of(message))).isEqualTo(eicar);
    }

    @Test
    void eicarInQuotedPrintableIsFound() {
        String qp = EICAR.replace("=", "=3D").replace("$EICAR", "$EI=\nCAR").replace("!", "=21");
        String message = """
                From: a@example.test
                MIME-Version: 1.0
                Content-Type: text/plain
                Content-Transfer-Encoding: quoted-printable

                """ + qp + "\n";
        assertThat(message).doesNotContain(EICAR);
        assertThat(scanner.scan(Messages.of(message))).isEqualTo(eicar);
    }

    @Test
    void eicarInANestedMultipartIsFound() {
        String inner = Messages.base64Attachment(EICAR);
        String innerBody = inner.substring(inner.indexOf("\n\n") + 2);
        String message = """
                From: a@example.test
                MIME-Version: 1.0
                Content-Type: multipart/alternative; boundary="outer"

                --outer
                Content-Type: text/plain

                plain
                --outer
                Content-Type: multipart/mixed; boundary="b1"

                """ + innerBody + """
                --outer--
                """;
        assertThat(scanner.scan(Messages.of(message))).isEqualTo(eicar);
    }

    @Test
    void eicarInAnAttachedMessageIsFound() {
        String message = """
                From: a@example.test
                MIME-Version: 1.0
                Content-Type: multipart/mixed; boundary="out"

                --out
                Content-Type: text/plain

                forwarded below
                --out
                Content-Type: message/rfc822

                """ + Messages.base64Attachment(EICAR) + """
                --out--
                """;
        assertThat(scanner.scan(Messages.of(message))).isEqualTo(eicar);
    }

    @Test
    void userPatternsMatchDecodedPartsAndNameTheirIndex() {
        Scanner patterns = new SignatureScanner("sig", List.of(Pattern.compile("never"), Pattern.compile("secret-[0-9]{4}")));
        assertThat(patterns.scan(Messages.of(Messages.base64Attachment("the secret-1234 code"))))
                .isEqualTo(new Verdict.Infected("sig", "Pattern:1"));
        assertThat(patterns.scan(Messages.of(Messages.base64Attachment("the secret-12 code"))))
                .isEqualTo(new Verdict.Clean("sig"));
    }

    @Test
    void patternsSeeUtf8TextAsCharacters() {
        Scanner patterns = new SignatureScanner("sig", List.of(Pattern.compile("größe")));
        byte[] message = Messages.crlf(Messages.plain("die größe")).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(patterns.scan(MessageContent.of(message))).isEqualTo(new Verdict.Infected("sig", "Pattern:0"));
    }

    @Test
    void runawayPatternTimesOutAsUnavailable() {
        Scanner runaway = new SignatureScanner("sig", List.of(Pattern.compile("((a+)+)+b")), java.time.Duration.ofMillis(200));
        long start = System.nanoTime();
        assertThat(runaway.scan(Messages.of(Messages.plain("a".repeat(40)))))
                .isEqualTo(new Verdict.Unavailable("sig", "timeout after 200ms matching patterns"));
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(5));
    }

    @Test
    void hugeHeaderLinesAndMalformedMimeDoNotThrow() {
        String message = "X-Long: " + "a".repeat(200_000) + "\nContent-Type: multipart/mixed; boundary=\"x\"\n\n--x\n"
                + "Content-Transfer-Encoding: base64\n\n!!!not base64 " + EICAR + "\n";
        assertThat(scanner.scan(Messages.of(message))).isEqualTo(eicar);
        assertThat(scanner.scan(Messages.of(message.replace(EICAR, "x")))).isEqualTo(new Verdict.Clean("sig"));
    }

    @Test
    void unreadableMessageIsUnavailable() {
        MessageContent broken = new MessageContent() {
            @Override
            public long size() {
                return 10;
            }

            @Override
            public InputStream open() throws IOException {
                throw new IOException("gone");
            }
        };
        assertThat(scanner.scan(broken)).isEqualTo(new Verdict.Unavailable("sig", "cannot read the message: gone"));
    }

    @Test
    void aMessageLargerThanTheHeapIsScannedWithoutHoldingIt() {
        Scanner patterns = new SignatureScanner("sig", List.of(Pattern.compile("(?i)wire the money to")));
        long size = 80L << 20; // the test JVM has a 64 MiB heap
        assertThat(patterns.scan(Messages.generated(size, "bye\n"))).isEqualTo(new Verdict.Clean("sig"));
        assertThat(patterns.scan(Messages.generated(size, "Wire the money to me\n")))
                .isEqualTo(new Verdict.Infected("sig", "Pattern:0"));
        assertThat(patterns.scan(Messages.generated(size, EICAR + "\n"))).isEqualTo(eicar);
    }

    @Test
    void matchesAcrossAWindowEdgeAreFound() {
        Scanner patterns = new SignatureScanner("sig", List.of(Pattern.compile("secret-[0-9]{4}")));
        String header = "Subject: x\r\n\r\n";
        for (int before : List.of(1, 10, 40, 67)) { // bytes of the match in the first window
            String filler = header + "x".repeat(WindowMatcher.WINDOW - before - header.length());
            assertThat(scanner.scan(Messages.of(filler + EICAR + "\n"))).as("EICAR, %d before the edge", before)
                    .isEqualTo(eicar);
            assertThat(patterns.scan(Messages.of(filler + "secret-1234\n"))).as("pattern, %d before the edge", before)
                    .isEqualTo(new Verdict.Infected("sig", "Pattern:0"));
        }
    }

    @Test
    void aHeaderPastTheParsersLimitsIsNotJudged() {
        String message = "X-Long: " + "a".repeat(SignatureScanner.MAX_HEADER + 1) + "\nSubject: x\n\nbody\n";
        assertThat(scanner.scan(Messages.of(message))).isInstanceOf(Verdict.Unavailable.class)
                .extracting(v -> ((Verdict.Unavailable) v).reason()).asString().contains("past the scanner's limits");
    }
}
