package dev.berth.pop3;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.mailwire.Pop3Command;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class Pop3DecoderTest {

    private final Pop3Decoder decoder = new Pop3Decoder();
    private final EmbeddedChannel channel = new EmbeddedChannel(decoder);

    private void send(String text) {
        channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }

    /** Reads every command available, answering each (so the next is released). */
    private List<Pop3Command> drain() {
        List<Pop3Command> commands = new ArrayList<>();
        for (Object command; (command = channel.readInbound()) != null; ) {
            commands.add((Pop3Command) command);
            decoder.next(false);
        }
        return commands;
    }

    @Test
    void everySplitPointGivesTheSameCommands() {
        String input = "USER alice@example.test\r\nPASS se cret\r\nlist 2\nTOP 1 0\r\nAUTH plain =\r\nQUIT\r\n";
        List<Pop3Command> expected = List.of(
                new Pop3Command.User("alice@example.test"),
                new Pop3Command.Pass("se cret"),
                new Pop3Command.ListMessages(OptionalInt.of(2)),
                new Pop3Command.Top(1, 0),
                new Pop3Command.Auth(Optional.of("PLAIN"), Optional.of("=")),
                new Pop3Command.Quit());
        for (int split = 0; split <= input.length(); split++) {
            Pop3Decoder fresh = new Pop3Decoder();
            EmbeddedChannel ch = new EmbeddedChannel(fresh);
            List<Pop3Command> got = new ArrayList<>();
            for (String part : List.of(input.substring(0, split), input.substring(split))) {
                ch.writeInbound(Unpooled.copiedBuffer(part, StandardCharsets.UTF_8));
                for (Object c; (c = ch.readInbound()) != null; ) {
                    got.add((Pop3Command) c);
                    fresh.next(false);
                }
            }
            assertThat(got).as("split at %d", split).isEqualTo(expected);
            assertThat(ch.finishAndReleaseAll()).isFalse();
        }
    }

    @Test
    void pipelinedCommandsComeOneAtATime() {
        send("STAT\r\nNOOP\r\nQUIT\r\n");

        assertThat((Object) channel.readInbound()).isEqualTo(new Pop3Command.Stat());
        assertThat((Object) channel.readInbound()).isNull();
        assertThat(decoder.isWaiting()).isTrue();
        decoder.next(false);
        assertThat((Object) channel.readInbound()).isEqualTo(new Pop3Command.Noop());
        decoder.next(false);
        assertThat((Object) channel.readInbound()).isEqualTo(new Pop3Command.Quit());
    }

    @Test
    void theLineAfterAContinuationIsASaslResponse() {
        send("AUTH PLAIN\r\nAGFsaWNlAHNlY3JldA==\r\nSTAT\r\n");

        assertThat((Object) channel.readInbound()).isEqualTo(new Pop3Command.Auth(Optional.of("PLAIN"), Optional.empty()));
        decoder.next(true);
        assertThat((Object) channel.readInbound()).isEqualTo(new Pop3Command.SaslResponse("AGFsaWNlAHNlY3JldA=="));
        decoder.next(false);
        assertThat((Object) channel.readInbound()).isEqualTo(new Pop3Command.Stat());
    }

    @Test
    void plaintextSentBehindStlsIsDiscarded() {
        send("STLS\r\nUSER injected\r\nPASS x\r\n");
        assertThat((Object) channel.readInbound()).isEqualTo(new Pop3Command.Stls());

        decoder.discardBuffered();
        decoder.next(false);

        assertThat((Object) channel.readInbound()).isNull();
        send("CAPA\r\n");
        assertThat(drain()).containsExactly(new Pop3Command.Capa());
    }

    @Test
    void aTooLongLineIsOneErrorAndIsSkippedToItsEnd() {
        String longLine = "X".repeat(Pop3Decoder.MAX_LINE + 100);
        for (int split : new int[] {10, Pop3Decoder.MAX_LINE - 1, Pop3Decoder.MAX_LINE, Pop3Decoder.MAX_LINE + 99}) {
            Pop3Decoder fresh = new Pop3Decoder();
            EmbeddedChannel ch = new EmbeddedChannel(fresh);
            List<Object> got = new ArrayList<>();
            String input = longLine + "\r\nNOOP\r\n";
            for (String part : List.of(input.substring(0, split), input.substring(split))) {
                ch.writeInbound(Unpooled.copiedBuffer(part, StandardCharsets.UTF_8));
                for (Object c; (c = ch.readInbound()) != null; ) {
                    got.add(c);
                    fresh.next(false);
                }
            }
            assertThat(got).as("split at %d", split)
                    .containsExactly(new Pop3Command.Invalid("Line too long."), new Pop3Command.Noop());
        }
    }

    @Test
    void aLineOfExactlyTheLimitIsAccepted() {
        String pass = "p".repeat(Pop3Decoder.MAX_LINE - "PASS \r\n".length());
        send("PASS " + pass + "\r\n");
        assertThat(drain()).containsExactly(new Pop3Command.Pass(pass));
    }

    @Test
    void emptyAndUnknownLinesAreInvalid() {
        send("\r\nFOO bar\r\nRETR 0\r\nRETR x\r\nLIST 1 2\r\nCAPA now\r\n");
        assertThat(drain()).containsExactly(
                new Pop3Command.Invalid("Unknown command."),
                new Pop3Command.Invalid("Unknown command."),
                new Pop3Command.Invalid("RETR takes a message number"),
                new Pop3Command.Invalid("RETR takes a message number"),
                new Pop3Command.Invalid("LIST takes an optional message number"),
                new Pop3Command.Invalid("Too many arguments."));
    }

    @Test
    void aCommandAnsweredWhileItIsFiredLetsTheDecodeLoopGoOn() {
        Pop3Decoder synchronous = new Pop3Decoder();
        List<Object> seen = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(synchronous, new io.netty.channel.ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
                seen.add(msg);
                synchronous.next(false);
            }
        });

        ch.writeInbound(Unpooled.copiedBuffer("STAT\r\nNOOP\r\nRSET\r\nQUIT\r\n", StandardCharsets.US_ASCII));

        assertThat(seen).containsExactly(new Pop3Command.Stat(), new Pop3Command.Noop(), new Pop3Command.Rset(),
                new Pop3Command.Quit());
        assertThat(synchronous.isWaiting()).isFalse();
    }

    @Test
    void linesHeldWhenTheConnectionEndsAreHandedOnAtOnce() {
        send("STAT\r\nDELE 1\r\nQUIT\r\nhalf a li");
        assertThat((Object) channel.readInbound()).isEqualTo(new Pop3Command.Stat());

        channel.finish();

        assertThat((Object) channel.readInbound()).isEqualTo(new Pop3Command.Dele(1));
        assertThat((Object) channel.readInbound()).isEqualTo(new Pop3Command.Quit());
        assertThat((Object) channel.readInbound()).isNull();
    }
}
