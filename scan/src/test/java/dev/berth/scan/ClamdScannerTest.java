package dev.berth.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.testpeers.Clamd;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClamdScannerTest {

    @TempDir
    static Path dir;

    private static Clamd clamd;

    @BeforeAll
    static void startClamd() throws Exception {
        clamd = Clamd.start(dir, "1M");
    }

    @AfterAll
    static void stopClamd() throws Exception {
        if (clamd != null) {
            clamd.close();
        }
    }

    private static Scanner scanner(ClamdAddress address, UnavailablePolicy onTooLarge, Duration timeout) {
        return new ClamdSettings("clamav", address, timeout, UnavailablePolicy.TEMPFAIL, onTooLarge).newScanner();
    }

    private static Scanner tcp() {
        return scanner(new ClamdAddress.Tcp("127.0.0.1", clamd.port()), UnavailablePolicy.TEMPFAIL, Duration.ofSeconds(10));
    }

    private static Scanner unix() {
        return scanner(new ClamdAddress.Unix(clamd.socket()), UnavailablePolicy.TEMPFAIL, Duration.ofSeconds(10));
    }

    @Test
    void eicarInABase64AttachmentIsFoundOverTcp() {
        try (Scanner scanner = tcp()) {
            assertThat(scanner.scan(Messages.of(Messages.base64Attachment(Messages.EICAR))))
                    .isInstanceOfSatisfying(Verdict.Infected.class, infected -> {
                        assertThat(infected.scanner()).isEqualTo("clamav");
                        assertThat(infected.threat()).startsWith("Custom.EICAR.");
                    });
        }
    }

    @Test
    void eicarInABase64AttachmentIsFoundOverTheUnixSocket() {
        try (Scanner scanner = unix()) {
            assertThat(scanner.scan(Messages.of(Messages.base64Attachment(Messages.EICAR))))
                    .isInstanceOfSatisfying(Verdict.Infected.class, infected -> assertThat(infected.threat()).startsWith("Custom.EICAR."));
        }
    }

    @Test
    void cleanMessagePassesOverBothSockets() {
        MessageContent clean = Messages.of(Messages.base64Attachment("harmless attachment"));
        try (Scanner tcp = tcp(); Scanner unix = unix()) {
            assertThat(tcp.scan(clean)).isEqualTo(new Verdict.Clean("clamav"));
            assertThat(unix.scan(clean)).isEqualTo(new Verdict.Clean("clamav"));
        }
    }

    @Test
    void messageOverStreamMaxLengthIsUnavailableTooLargeWithoutAnException() {
        StringBuilder text = new StringBuilder(Messages.crlf(Messages.plain("")));
        while (text.length() < 3 * 1024 * 1024) {
            text.append("y".repeat(76)).append("\r\n");
        }
        MessageContent message = MessageContent.of(text.toString().getBytes(StandardCharsets.US_ASCII));
        ClamdSettings accepting = new ClamdSettings("clamav", new ClamdAddress.Unix(clamd.socket()), Duration.ofSeconds(10),
                UnavailablePolicy.TEMPFAIL, UnavailablePolicy.ACCEPT);
        for (Scanner scanner : new Scanner[] {tcp(), unix()}) {
            try (scanner) {
                Verdict verdict = scanner.scan(message);
                assertThat(verdict).isInstanceOfSatisfying(Verdict.Unavailable.class,
                        unavailable -> assertThat(unavailable.reason()).startsWith("size limit exceeded (clamd: INSTREAM size limit exceeded"));
                assertThat(accepting.accepts((Verdict.Unavailable) verdict)).isTrue();
            }
        }
    }

    @Test
    void oneChainScansFromManyThreadsAtOnce() throws Exception {
        ScanSettings settings = new ScanSettings(List.of(
                new SignaturesSettings("sig", List.of("forbidden-word")),
                new ClamdSettings("clamav", new ClamdAddress.Unix(clamd.socket()), Duration.ofSeconds(20),
                        UnavailablePolicy.TEMPFAIL, UnavailablePolicy.TEMPFAIL)));
        MessageContent clean = Messages.of(Messages.base64Attachment("harmless"));
        MessageContent virus = Messages.of(Messages.base64Attachment("prefix " + Messages.EICAR));
        try (ScanChain chain = settings.newChain(); ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<ScanReport>> reports = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                MessageContent message = i % 2 == 0 ? clean : virus;
                reports.add(threads.submit(() -> chain.scan(message, Envelope.NONE)));
            }
            for (int i = 0; i < reports.size(); i++) {
                ScanReport report = reports.get(i).get(30, TimeUnit.SECONDS);
                if (i % 2 == 0) {
                    assertThat(report.verdicts()).containsExactly(new Verdict.Clean("sig"), new Verdict.Clean("clamav"));
                } else {
                    assertThat(report.outcome()).isEqualTo(new Outcome.Virus(new Verdict.Infected("sig", "Eicar-Test-Signature")));
                }
            }
        }
    }

    @Test
    void stoppedClamdIsUnavailable(@TempDir Path own) throws Exception {
        Clamd peer = Clamd.start(own, "1M");
        MessageContent message = Messages.of(Messages.plain("hello"));
        try (Scanner tcp = scanner(new ClamdAddress.Tcp("127.0.0.1", peer.port()), UnavailablePolicy.TEMPFAIL, Duration.ofSeconds(5));
             Scanner unix = scanner(new ClamdAddress.Unix(peer.socket()), UnavailablePolicy.TEMPFAIL, Duration.ofSeconds(5))) {
            assertThat(tcp.scan(message)).isEqualTo(new Verdict.Clean("clamav"));
            peer.close();
            assertThat(tcp.scan(message)).isInstanceOfSatisfying(Verdict.Unavailable.class,
                    unavailable -> assertThat(unavailable.reason()).startsWith("clamd at 127.0.0.1:" + peer.port() + ": "));
            assertThat(unix.scan(message)).isInstanceOf(Verdict.Unavailable.class);
        } finally {
            peer.close();
        }
    }

    @Test
    void silentPeerTimesOut() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Scanner scanner = scanner(new ClamdAddress.Tcp("127.0.0.1", silent.getLocalPort()), UnavailablePolicy.TEMPFAIL,
                     Duration.ofMillis(300))) {
            Thread.ofVirtual().start(() -> {
                try (Socket accepted = silent.accept()) {
                    accepted.getInputStream().readAllBytes();
                } catch (IOException e) {
                    // the scanner hung up
                }
            });
            long start = System.nanoTime();
            assertThat(scanner.scan(Messages.of(Messages.plain("hello"))))
                    .isEqualTo(new Verdict.Unavailable("clamav", "timeout after 300ms"));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void answerBeforeAResetIsStillRead() throws Exception {
        try (ServerSocket peer = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Scanner scanner = scanner(new ClamdAddress.Tcp("127.0.0.1", peer.getLocalPort()), UnavailablePolicy.TEMPFAIL,
                     Duration.ofSeconds(10))) {
            Thread server = Thread.ofVirtual().start(() -> {
                try (Socket accepted = peer.accept()) {
                    accepted.getInputStream().readNBytes(100_000);
                    accepted.getOutputStream().write("INSTREAM size limit exceeded. ERROR\0".getBytes(StandardCharsets.US_ASCII));
                    accepted.setSoLinger(true, 0);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            MessageContent large = MessageContent.of(new byte[32 * 1024 * 1024]);
            assertThat(scanner.scan(large)).isEqualTo(new Verdict.Unavailable("clamav",
                    "size limit exceeded (clamd: INSTREAM size limit exceeded. ERROR)"));
            assertThat(server.join(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void errorRepliesAreUnavailable() {
        ClamdScanner scanner = new ClamdScanner(new ClamdSettings("clamav", new ClamdAddress.Tcp("127.0.0.1", 1),
                Duration.ofSeconds(1), UnavailablePolicy.TEMPFAIL, UnavailablePolicy.TEMPFAIL));
        try (scanner) {
            assertThat(scanner.parse("stream: Eicar-Test-Signature FOUND")).isEqualTo(new Verdict.Infected("clamav", "Eicar-Test-Signature"));
            assertThat(scanner.parse("UNKNOWN COMMAND")).isEqualTo(new Verdict.Unavailable("clamav", "clamd: UNKNOWN COMMAND"));
        }
    }
}
