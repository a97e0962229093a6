package dev.berth.mailproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DotStuffingTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void linesStartingWithADotLoseOneDot() {
        assertThat(DotStuffing.unstuff(b("..a\r\nb.\r\n...\r\n.\r\n"))).isEqualTo(b(".a\r\nb.\r\n..\r\n\r\n"));
        assertThat(DotStuffing.unstuff(b(""))).isEmpty();
    }

    @Test
    void linesStartingWithADotGainOneAndTheLastLineIsEnded() {
        assertThat(DotStuffing.stuff(b(".a\r\nb\r\n."))).isEqualTo(b("..a\r\nb\r\n..\r\n"));
        assertThat(DotStuffing.stuff(b("a\r\n"))).isEqualTo(b("a\r\n"));
    }

    @Test
    void stuffingThenUnstuffingGivesTheBodyBack() {
        String body = ".\r\n..\r\nx.\r\n.y\r\n\r\n";
        assertThat(DotStuffing.unstuff(DotStuffing.stuff(b(body)))).isEqualTo(b(body));
    }
}
