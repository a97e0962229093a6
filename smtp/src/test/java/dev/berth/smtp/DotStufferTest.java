package dev.berth.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DotStufferTest {

    private static String stuff(String... parts) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DotStuffer stuffer = new DotStuffer(out);
        for (String part : parts) {
            stuffer.write(part.getBytes(StandardCharsets.US_ASCII));
        }
        stuffer.finish();
        return out.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void leadingDotsAreDoubledAcrossWrites() throws Exception {
        assertThat(stuff(".a\r\n.", "b\r\nc.d\r\n")).isEqualTo("..a\r\n..b\r\nc.d\r\n.\r\n");
        assertThat(stuff("a\r\n", ".")).isEqualTo("a\r\n..\r\n.\r\n");
    }

    @Test
    void aMissingFinalCrLfIsAdded() throws Exception {
        assertThat(stuff("no end")).isEqualTo("no end\r\n.\r\n");
        assertThat(stuff()).isEqualTo(".\r\n");
    }
}
