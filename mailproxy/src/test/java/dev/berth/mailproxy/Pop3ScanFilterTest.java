package dev.berth.mailproxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.config.ConfigSection;
import dev.berth.scan.ScanChain;
import dev.berth.scan.ScanSettings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The scanning response filter on an EmbeddedChannel, with the real signatures scanner. */
class Pop3ScanFilterTest {

    private static ScanChain chain;

    @BeforeAll
    static void chain() {
        Path file = Path.of("berth.yaml");
        chain = ScanSettings.parse(ConfigSection.parseYaml(file, "sig: {kind: signatures}"),
                ConfigSection.parseYaml(file, "scan: [sig]"), "scan").newChain();
    }

    @AfterAll
    static void close() {
        chain.close();
    }

    @Test
    void pipelinedResponsesAreFramedAndOnlyTheInfectedMessageIsReplacedAtEverySplitPoint() {
        String commands = "LIST\r\nRETR 1\r\nRETR 2\r\nUIDL 1\r\nTOP 1 0\r\nSTAT\r\nRETR 9\r\nCAPA\r\n";
        String virusNotice = new String(VirusNotice.build("sig", "Eicar-Test-Signature", TestMessages.VIRUS.length()),
                StandardCharsets.US_ASCII);
        String head = "+OK 2 messages\r\n1 " + TestMessages.DOTS.length() + "\r\n2 " + TestMessages.VIRUS.length() + "\r\n.\r\n"
                + "+OK " + TestMessages.DOTS.length() + " octets\r\n" + TestMessages.stuffed(TestMessages.DOTS)
                + "+OK " + TestMessages.VIRUS.length() + " octets\r\n";
        String tail = "+OK 1 000000016b024492\r\n"
                + "+OK\r\nFrom: a@example.org\r\n\r\n.\r\n"
                + "+OK 2 999\r\n-ERR no such message\r\n+OK\r\nTOP\r\n.\r\n";
        String upstream = head + TestMessages.stuffed(TestMessages.VIRUS) + tail;
        String expected = head + TestMessages.stuffed(virusNotice) + tail;
        byte[] bytes = upstream.getBytes(StandardCharsets.US_ASCII);
        for (int split = 0; split <= bytes.length; split++) {
            assertThat(run(commands, bytes, split)).as("split at %d", split).isEqualTo(expected);
        }
    }

    @Test
    void anUnavailableScannerAnswersSysTemp() {
        EmbeddedChannel client = new EmbeddedChannel();
        Pop3Exchange exchange = new Pop3Exchange();
        exchange.observeClient(Unpooled.copiedBuffer("RETR 1\r\nNOOP\r\n", StandardCharsets.US_ASCII));
        EmbeddedChannel up = new EmbeddedChannel(new Pop3ScanFilter(exchange,
                message -> new MessageScanner.Verdict.Unavailable("clamd down"), Runnable::run, client, 1 << 20));
        up.writeInbound(Unpooled.copiedBuffer("+OK 5 octets\r\nabc\r\n.\r\n+OK\r\n", StandardCharsets.US_ASCII));
        up.runPendingTasks();
        assertThat(drain(up)).isEqualTo("-ERR [SYS/TEMP] the message could not be scanned, try again later\r\n+OK\r\n");
        up.finishAndReleaseAll();
    }

    @Test
    void aMessageLargerThanTheScanLimitIsReadToItsEndAndRefusedWithoutBeingHeld() {
        EmbeddedChannel client = new EmbeddedChannel();
        Pop3Exchange exchange = new Pop3Exchange();
        exchange.observeClient(Unpooled.copiedBuffer("RETR 1\r\nRETR 2\r\nNOOP\r\n", StandardCharsets.US_ASCII));
        EmbeddedChannel up = new EmbeddedChannel(new Pop3ScanFilter(exchange,
                message -> new MessageScanner.Verdict.Clean(), Runnable::run, client, 20));
        up.writeInbound(Unpooled.copiedBuffer("+OK 30 octets\r\n0123456789\r\n0123456789\r\n.\r\n"
                + "+OK 5 octets\r\nabc\r\n.\r\n+OK\r\n", StandardCharsets.US_ASCII));
        up.runPendingTasks();
        assertThat(drain(up)).isEqualTo("-ERR [SYS/PERM] the message is larger than this proxy scans (20 bytes); "
                + "fetch it another way\r\n+OK 5 octets\r\nabc\r\n.\r\n+OK\r\n");
        up.finishAndReleaseAll();
    }

    private static String run(String commands, byte[] bytes, int split) {
        EmbeddedChannel client = new EmbeddedChannel();
        Pop3Exchange exchange = new Pop3Exchange();
        exchange.observeClient(Unpooled.copiedBuffer(commands, StandardCharsets.US_ASCII));
        EmbeddedChannel up = new EmbeddedChannel(new Pop3ScanFilter(exchange, new ChainScanner(chain), Runnable::run, client, 1 << 20));
        up.writeInbound(Unpooled.wrappedBuffer(bytes, 0, split));
        up.runPendingTasks();
        up.writeInbound(Unpooled.wrappedBuffer(bytes, split, bytes.length - split));
        up.runPendingTasks();
        String out = drain(up);
        assertThat(client.config().isAutoRead()).isTrue();
        up.finishAndReleaseAll();
        return out;
    }

    private static String drain(EmbeddedChannel channel) {
        StringBuilder out = new StringBuilder();
        Object msg;
        while ((msg = channel.readInbound()) != null) {
            ByteBuf buf = (ByteBuf) msg;
            out.append(buf.toString(StandardCharsets.US_ASCII));
            buf.release();
        }
        return out.toString();
    }
}
