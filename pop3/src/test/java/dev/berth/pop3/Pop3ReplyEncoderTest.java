package dev.berth.pop3;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class Pop3ReplyEncoderTest {

    private static String encode(Pop3Reply reply) {
        EmbeddedChannel channel = new EmbeddedChannel(Pop3ReplyEncoder.INSTANCE);
        channel.writeOutbound(reply);
        ByteBuf out = channel.readOutbound();
        try {
            return out.toString(StandardCharsets.UTF_8);
        } finally {
            out.release();
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void singleLineReplies() {
        assertThat(encode(new Pop3Reply.Ok(""))).isEqualTo("+OK\r\n");
        assertThat(encode(new Pop3Reply.Ok("2 320"))).isEqualTo("+OK 2 320\r\n");
        assertThat(encode(Pop3Reply.Err.of("No such message."))).isEqualTo("-ERR No such message.\r\n");
        assertThat(encode(new Pop3Reply.Err(Pop3Reply.ResponseCode.IN_USE, "Locked.")))
                .isEqualTo("-ERR [IN-USE] Locked.\r\n");
        assertThat(encode(new Pop3Reply.Err(Pop3Reply.ResponseCode.SYS_PERM, "Gone.")))
                .isEqualTo("-ERR [SYS/PERM] Gone.\r\n");
    }

    @Test
    void theContinuationIsAPlusAndASpace() {
        assertThat(encode(new Pop3Reply.Challenge(""))).isEqualTo("+ \r\n");
    }

    @Test
    void multiLineRepliesAreStuffedAndTerminated() {
        assertThat(encode(new Pop3Reply.Lines("list", List.of("1 10", ".hidden", "")))).isEqualTo(
                "+OK list\r\n1 10\r\n..hidden\r\n\r\n.\r\n");
        assertThat(encode(new Pop3Reply.Lines("", List.of()))).isEqualTo("+OK\r\n.\r\n");
    }

    @Test
    void ofAMessageOnlyTheStatusLineIsEncoded() {
        Pop3Reply.Content content = new Pop3Reply.Content("12 octets",
                () -> new ByteArrayInputStream(new byte[12]), Long.MAX_VALUE);
        assertThat(encode(content)).isEqualTo("+OK 12 octets\r\n");
    }
}
