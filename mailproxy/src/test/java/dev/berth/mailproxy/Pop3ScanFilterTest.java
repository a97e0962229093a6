package dev.berth.mailproxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.config.ConfigSection;
import dev.berth.scan.ScanChain;
import dev.berth.scan.ScanSettings;
import dev.berth.scan.Spool;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scanning response filter on an EmbeddedChannel, with the real signatures scanner. */
class Pop3ScanFilterTest {

    private static ScanChain chain;
    private static Spool spool;

    @BeforeAll
    static void chain(@TempDir Path dir) {
        Path file = Path.of("berth.yaml");
        chain = ScanSettings.parse(ConfigSection.parseYaml(file, "sig: {kind: signatures}"),
                ConfigSection.parseYaml(file, "scan: [sig]"), "scan").newChain();
        spool = Spool.open(dir);
    }

    @AfterAll
    static void close() {
        chain.close();
        spool.close();
    }

    /** The upstream leg with the filter and the relay to {@code client}; scans run on the caller's thread. */
    private static EmbeddedChannel upstream(String commands, MessageScanner scanner, long maxSize, EmbeddedChannel client) {
        Pop3Exchange exchange = new Pop3Exchange();
        exchange.observeClient(Unpooled.copiedBuffer(commands, StandardCharsets.US_ASCII));
        return new EmbeddedChannel(new Pop3ScanFilter(exchange, new ScanRuntime(scanner, Runnable::run, spool, maxSize), client),
                new RelayHandler(client));
    }

    /** Feeds the upstream's bytes in reads of {@code chunk} and returns what the client got. */
    private static String relay(EmbeddedChannel up, EmbeddedChannel client, byte[] bytes, int chunk) {
        for (int i = 0; i < bytes.length; i += chunk) {
            up.writeInbound(Unpooled.wrappedBuffer(bytes, i, Math.min(chunk, bytes.length - i)));
            up.runPendingTasks();
        }
        up.runPendingTasks();
        return TestRuntime.outbound(client);
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
        EmbeddedChannel up = upstream("RETR 1\r\nNOOP\r\n", message -> new MessageScanner.Verdict.Unavailable("clamd down"), 1 << 20, client);
        assertThat(relay(up, client, "+OK 5 octets\r\nabc\r\n.\r\n+OK\r\n".getBytes(StandardCharsets.US_ASCII), 100))
                .isEqualTo("-ERR [SYS/TEMP] the message could not be scanned, try again later\r\n+OK\r\n");
        up.finishAndReleaseAll();
    }

    @Test
    void aMessageLargerThanTheScanLimitIsReadToItsEndAndRefusedWithoutBeingHeld() {
        EmbeddedChannel client = new EmbeddedChannel();
        EmbeddedChannel up = upstream("RETR 1\r\nRETR 2\r\nNOOP\r\n", message -> new MessageScanner.Verdict.Clean(), 20, client);
        assertThat(relay(up, client, ("+OK 30 octets\r\n0123456789\r\n0123456789\r\n.\r\n"
                + "+OK 5 octets\r\nabc\r\n.\r\n+OK\r\n").getBytes(StandardCharsets.US_ASCII), 7))
                .isEqualTo("-ERR [SYS/PERM] the message is larger than this proxy scans (20 bytes); "
                + "fetch it another way\r\n+OK 5 octets\r\nabc\r\n.\r\n+OK\r\n");
        up.finishAndReleaseAll();
    }

    @Test
    void aMessageLargerThanAConnectionHoldsIsSpooledScannedFromTheFileAndComesBackByteForByte() throws Exception {
        String message = TestMessages.big();
        List<Long> scannedFromFile = new ArrayList<>();
        MessageScanner scanner = content -> {
            try (var in = content.open()) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)).isEqualTo(message);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            scannedFromFile.add(spoolFiles());
            return new MessageScanner.Verdict.Clean();
        };
        EmbeddedChannel client = new EmbeddedChannel();
        EmbeddedChannel up = upstream("RETR 1\r\nNOOP\r\n", scanner, 25 << 20, client);
        String upstream = "+OK " + message.length() + " octets\r\n" + TestMessages.stuffed(message) + "+OK\r\n";
        assertThat(message.length()).isGreaterThan(10 * ScanRuntime.MEMORY);
        assertThat(relay(up, client, upstream.getBytes(StandardCharsets.ISO_8859_1), 65536)).isEqualTo(upstream);
        assertThat(scannedFromFile).containsExactly(1L);
        assertThat(spoolFiles()).isZero();
        up.finishAndReleaseAll();
    }

    private static long spoolFiles() {
        try (var files = java.nio.file.Files.list(spool.directory())) {
            return files.count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String run(String commands, byte[] bytes, int split) {
        EmbeddedChannel client = new EmbeddedChannel();
        EmbeddedChannel up = upstream(commands, new ChainScanner(chain), 1 << 20, client);
        up.writeInbound(Unpooled.wrappedBuffer(bytes, 0, split));
        up.runPendingTasks();
        up.writeInbound(Unpooled.wrappedBuffer(bytes, split, bytes.length - split));
        up.runPendingTasks();
        String out = TestRuntime.outbound(client);
        assertThat(client.config().isAutoRead()).isTrue();
        up.finishAndReleaseAll();
        return out;
    }
}
