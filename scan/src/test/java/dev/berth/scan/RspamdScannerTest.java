package dev.berth.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testpeers.Rspamd;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a real rspamd started offline in a temporary directory. */
class RspamdScannerTest {

    @TempDir
    static Path dir;

    private static Rspamd rspamd;

    @BeforeAll
    static void startRspamd() throws Exception {
        rspamd = Rspamd.start(dir);
    }

    @AfterAll
    static void stopRspamd() {
        if (rspamd != null) {
            rspamd.close();
        }
    }

    private static Scanner scanner(double reject, double tag) {
        return new RspamdSettings("spam", rspamd.url(), reject, tag, Duration.ofSeconds(20), UnavailablePolicy.TEMPFAIL).newScanner();
    }

    private static final Envelope ENVELOPE = new Envelope("127.0.0.1", "client.example.test", "alice@example.test",
            List.of("bob@example.test", "carol@example.test"));

    @Test
    void gtubeIsRejected() {
        try (Scanner scanner = scanner(15, 6)) {
            assertThat(scanner.scan(Messages.of(Messages.plain(Messages.GTUBE)), ENVELOPE))
                    .isInstanceOfSatisfying(Verdict.Spam.class, spam -> {
                        assertThat(spam.scanner()).isEqualTo("spam");
                        assertThat(spam.action()).isEqualTo(SpamAction.REJECT);
                    });
        }
    }

    @Test
    void hamIsScoredWithoutAction() {
        try (Scanner scanner = scanner(15, 6)) {
            assertThat(scanner.scan(Messages.of(Messages.plain("see you at lunch")), ENVELOPE))
                    .isInstanceOfSatisfying(Verdict.Spam.class, spam -> {
                        assertThat(spam.score()).isLessThan(6);
                        assertThat(spam.action()).isEqualTo(SpamAction.NONE);
                    });
        }
    }

    @Test
    void thresholdsDecideTheAction() {
        MessageContent message = Messages.of(Messages.plain("see you at lunch"));
        double score;
        try (Scanner scanner = scanner(15, 6)) {
            score = ((Verdict.Spam) scanner.scan(message, Envelope.NONE)).score();
        }
        try (Scanner tagging = scanner(score + 10, score - 0.01); Scanner rejecting = scanner(score - 0.01, score - 0.02)) {
            assertThat(tagging.scan(message, Envelope.NONE)).isEqualTo(new Verdict.Spam("spam", score, SpamAction.TAG));
            assertThat(rejecting.scan(message)).isEqualTo(new Verdict.Spam("spam", score, SpamAction.REJECT));
        }
    }

    @Test
    void chainRejectsGtubeAndTagsNothingForHam() {
        ScanSettings settings = new ScanSettings(List.of(new SignaturesSettings("sig", List.of()),
                new RspamdSettings("spam", rspamd.url(), 15, 6, Duration.ofSeconds(20), UnavailablePolicy.TEMPFAIL)));
        try (ScanChain chain = settings.newChain()) {
            ScanReport gtube = chain.scan(Messages.of(Messages.plain(Messages.GTUBE)), ENVELOPE);
            assertThat(gtube.outcome()).isInstanceOf(Outcome.SpamReject.class);
            ScanReport ham = chain.scan(Messages.of(Messages.plain("hello")), ENVELOPE);
            assertThat(ham.outcome()).isEqualTo(new Outcome.Pass());
            assertThat(ham.tagHeaders()).first().isEqualTo("X-Berth-Scan: clean by sig; scored by spam\r\n");
        }
    }
}
