package dev.berth.mailproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class VirusNoticeTest {

    @Test
    void theNoticeHasExactlyTheSizeOfTheMessageItReplaces() {
        for (int size = 0; size <= 2000; size++) {
            assertThat(VirusNotice.build("sig", "Eicar-Test-Signature", size)).as("size %d", size).hasSize(size);
        }
    }

    @Test
    void aLargeEnoughNoticeIsAMessageNamingTheThreatWithShortLines() {
        String notice = new String(VirusNotice.build("clamav", "Win.Test.EICAR_HDB-1", 1001), StandardCharsets.US_ASCII);
        assertThat(notice).startsWith("From: Mail Proxy <MAILER-DAEMON@localhost>\r\nSubject: [virus removed] Win.Test.EICAR_HDB-1\r\n")
                .contains("\r\n\r\n").contains("found by the scanner clamav").endsWith("\r\n");
        assertThat(notice.split("\r\n", -1)).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(998));
        assertThat(notice.replace("\r\n", "")).doesNotContain("\r").doesNotContain("\n");
    }

    @Test
    void unprintableThreatNamesAreCleaned() {
        String notice = new String(VirusNotice.build("s", "bad\r\nInjected: yes", 600), StandardCharsets.US_ASCII);
        assertThat(notice).doesNotContain("\r\nInjected");
    }
}
