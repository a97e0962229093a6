package dev.berth.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScanReportTest {

    private static final Verdict.Clean CLEAN = new Verdict.Clean("sig");
    private static final Verdict.Infected VIRUS = new Verdict.Infected("clamav", "Eicar-Test-Signature");
    private static final Verdict.Spam HAM = new Verdict.Spam("spam", 0.4, SpamAction.NONE);
    private static final Verdict.Spam TAG = new Verdict.Spam("spam", 7.2, SpamAction.TAG);
    private static final Verdict.Spam REJECT = new Verdict.Spam("spam", 20, SpamAction.REJECT);
    private static final Verdict.Unavailable DOWN = new Verdict.Unavailable("clamav", "connection refused");

    @Test
    void outcomesAreRankedVirusRejectTempfailTagPass() {
        assertThat(new ScanReport(List.of(CLEAN, HAM)).outcome()).isEqualTo(new Outcome.Pass());
        assertThat(new ScanReport(List.of()).outcome()).isEqualTo(new Outcome.Pass());
        assertThat(new ScanReport(List.of(REJECT, VIRUS)).outcome()).isEqualTo(new Outcome.Virus(VIRUS));
        assertThat(new ScanReport(List.of(DOWN, REJECT)).outcome()).isEqualTo(new Outcome.SpamReject(REJECT));
        assertThat(new ScanReport(List.of(TAG, DOWN)).outcome()).isEqualTo(new Outcome.TempFail(DOWN));
        assertThat(new ScanReport(List.of(TAG, DOWN), List.of(DOWN)).outcome()).isEqualTo(new Outcome.SpamTag(TAG));
        assertThat(new ScanReport(List.of(CLEAN, DOWN), List.of(DOWN)).outcome()).isEqualTo(new Outcome.Pass());
    }

    @Test
    void tagHeadersDescribeEveryVerdict() {
        assertThat(new ScanReport(List.of(CLEAN, new Verdict.Clean("clamav"))).tagHeaders())
                .containsExactly("X-Berth-Scan: clean by sig, clamav\r\n");
        assertThat(new ScanReport(List.of(CLEAN, VIRUS)).tagHeaders()).containsExactly(
                "X-Berth-Scan: clean by sig; infected by clamav\r\n",
                "X-Berth-Virus: Eicar-Test-Signature (clamav)\r\n");
        assertThat(new ScanReport(List.of(CLEAN, DOWN, TAG), List.of(DOWN)).tagHeaders()).containsExactly(
                "X-Berth-Scan: clean by sig; scored by spam; unavailable: clamav (connection refused)\r\n",
                "X-Spam-Score: 7.20 (spam)\r\n",
                "X-Spam-Flag: YES\r\n");
        assertThat(new ScanReport(List.of()).tagHeaders()).containsExactly("X-Berth-Scan: none\r\n");
    }

    @Test
    void tagHeadersAreHeaderSafe() {
        Verdict.Infected nasty = new Verdict.Infected("clamav", "Evil\r\nBcc: victim@example.test\u0000é" + "x".repeat(500));
        List<String> headers = new ScanReport(List.of(nasty)).tagHeaders();
        assertThat(headers).hasSize(2);
        for (String header : headers) {
            assertThat(header).endsWith("\r\n").hasSizeLessThan(260);
            assertThat(header.substring(0, header.length() - 2)).doesNotContain("\r", "\n", "\u0000").matches("[\\x20-\\x7e]*");
        }
        assertThat(headers.get(1)).startsWith("X-Berth-Virus: Evil  Bcc: victim@example.test ?xxx");
    }

    @Test
    void chainStopsAtTheFirstInfectedAndAppliesEachScannersPolicy() {
        ScanSettings settings = new ScanSettings(List.of(
                new ClamdSettings("down", new ClamdAddress.Unix(java.nio.file.Path.of("/nonexistent/clamd.sock")),
                        java.time.Duration.ofSeconds(1), UnavailablePolicy.ACCEPT, UnavailablePolicy.ACCEPT),
                new SignaturesSettings("sig", List.of()),
                new SignaturesSettings("never-run", List.of())));
        try (ScanChain chain = settings.newChain()) {
            ScanReport report = chain.scan(Messages.of(Messages.plain(Messages.EICAR)), Envelope.NONE);
            assertThat(report.verdicts()).hasSize(2);
            assertThat(report.verdicts().getFirst()).isInstanceOf(Verdict.Unavailable.class);
            assertThat(report.accepted()).containsExactly((Verdict.Unavailable) report.verdicts().getFirst());
            assertThat(report.outcome()).isEqualTo(new Outcome.Virus(new Verdict.Infected("sig", "Eicar-Test-Signature")));
            assertThat(chain.scan(Messages.of(Messages.plain("fine")), Envelope.NONE).outcome()).isEqualTo(new Outcome.Pass());
        }
    }

    @Test
    void aScannerThatThrowsCountsAsUnavailable() {
        MessageContent exploding = new MessageContent() {
            @Override
            public long size() {
                return 1;
            }

            @Override
            public InputStream open() throws IOException {
                throw new IllegalStateException("boom");
            }
        };
        try (ScanChain chain = new ScanSettings(List.of(new SignaturesSettings("sig", List.of()))).newChain()) {
            ScanReport report = chain.scan(exploding, Envelope.NONE);
            assertThat(report.outcome()).isInstanceOfSatisfying(Outcome.TempFail.class,
                    tempFail -> assertThat(tempFail.verdict().reason()).contains("boom"));
        }
    }

    @Test
    void fileContentCanBeOpenedManyTimes(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws IOException {
        java.nio.file.Path file = dir.resolve("m.eml");
        java.nio.file.Files.writeString(file, Messages.crlf(Messages.base64Attachment(Messages.EICAR)));
        MessageContent content = MessageContent.of(file);
        assertThat(content.size()).isEqualTo(java.nio.file.Files.size(file));
        try (InputStream first = content.open(); InputStream second = content.open()) {
            assertThat(first.readAllBytes()).isEqualTo(second.readAllBytes());
        }
        try (Scanner scanner = new SignaturesSettings("sig", List.of()).newScanner()) {
            assertThat(scanner.scan(content)).isInstanceOf(Verdict.Infected.class);
            java.nio.file.Files.delete(file);
            assertThat(scanner.scan(content)).isInstanceOf(Verdict.Unavailable.class);
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> MessageContent.of(file))
                .isInstanceOf(java.io.UncheckedIOException.class).hasMessageContaining("m.eml");
    }
}
