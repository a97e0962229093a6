package dev.berth.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.posix.SeqpacketServer;
import dev.berth.posix.SeqpacketSocket;
import dev.berth.posix.TcpListener;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dispatch link's binary frames: layout, every split point, and bad frames. */
class LinkFramesTest {

    private static final List<ControlMessage> FRAMES = List.of(
            new ControlMessage.Handoff(9, List.of("web", "smtp", "web")),
            new ControlMessage.Handoff(Long.MAX_VALUE, List.of("é")),
            new ControlMessage.Ack(9, 3),
            new ControlMessage.Ack(0, 128),
            new ControlMessage.Credit(64),
            new ControlMessage.Revoke());

    @TempDir
    Path dir;

    @Test
    void theLayoutIsPinned() {
        assertThat(HexFormat.of().formatHex(LinkFrames.encode(new ControlMessage.Handoff(9, List.of("web", "mx", "web")))))
                .isEqualTo("b50101" + "0000000000000009" + "03" + "02" + "03776562" + "026d78" + "000100");
        assertThat(HexFormat.of().formatHex(LinkFrames.encode(new ControlMessage.Ack(258, 3))))
                .isEqualTo("b50102" + "0000000000000102" + "00000003");
        assertThat(HexFormat.of().formatHex(LinkFrames.encode(new ControlMessage.Credit(64)))).isEqualTo("b5010300000040");
        assertThat(HexFormat.of().formatHex(LinkFrames.encode(new ControlMessage.Revoke()))).isEqualTo("b50104");
    }

    @Test
    void everyFrameSurvivesTheRoundTrip() {
        for (ControlMessage frame : FRAMES) {
            assertThat(LinkFrames.decode(LinkFrames.encode(frame))).isEqualTo(frame);
        }
    }

    @Test
    void aFrameCutAtAnyPointIsRefusedAsCutShort() {
        for (ControlMessage frame : FRAMES) {
            byte[] whole = LinkFrames.encode(frame);
            for (int length = 0; length < whole.length; length++) {
                byte[] cut = Arrays.copyOf(whole, length);
                assertThatThrownBy(() -> LinkFrames.decode(cut)).as("%s cut at %d", frame, length)
                        .isInstanceOf(ControlException.class).hasMessageContaining("malformed dispatch-link frame");
            }
        }
    }

    @Test
    void aFrameWithBytesAfterItsEndIsRefused() {
        for (ControlMessage frame : FRAMES) {
            byte[] whole = LinkFrames.encode(frame);
            byte[] longer = Arrays.copyOf(whole, whole.length + 1);
            assertThatThrownBy(() -> LinkFrames.decode(longer)).as("%s", frame)
                    .isInstanceOf(ControlException.class).hasMessageContaining("1 bytes after the end of the frame");
        }
    }

    @Test
    void aFrameOfAnotherVersionIsRefusedByName() {
        byte[] frame = LinkFrames.encode(new ControlMessage.Revoke());
        frame[1] = 2;
        assertThatThrownBy(() -> LinkFrames.decode(frame)).isInstanceOf(ControlException.class)
                .hasMessageContaining("version 2; this side speaks 1");
    }

    @Test
    void framesWithFieldsOutOfRangeAreRefusedWithTheReason() {
        assertBad("b50109", "unknown dispatch-link frame type 9");
        assertBad("b50101" + "0000000000000001" + "00" + "01" + "0177", "handoff of 0 connections");
        assertBad("b50101" + "0000000000000001" + "01" + "02" + "0177" + "0178" + "00", "with 2 service names");
        assertBad("b50101" + "0000000000000001" + "01" + "01" + "0177" + "01", "service index 1 of 1 names");
        assertBad("b50101" + "0000000000000001" + "01" + "01" + "00" + "00", "empty service name");
        assertBad("b50101" + "0000000000000001" + "01" + "01" + "01ff" + "00", "not UTF-8");
        assertBad("b50102" + "ffffffffffffffff" + "00000001", "ack of batch -1");
        assertBad("b50102" + "0000000000000001" + "ffffffff", "with credit -1");
        assertBad("b50103" + "00000000", "credit 0");
    }

    @Test
    void aMessageThatCannotBeAFrameIsNotEncodedAsOne() {
        assertThat(LinkFrames.carries(new ControlMessage.Hello(1, 2))).isFalse();
        assertThatThrownBy(() -> LinkFrames.encode(new ControlMessage.Handoff(1, List.of("x".repeat(256)))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1..255 UTF-8 bytes");
    }

    @Test
    void aBadFrameOnALinkClosesItsDescriptorsAndTheLinkReadsOn() throws Exception {
        Path path = dir.resolve("d.sock");
        try (SeqpacketServer server = SeqpacketServer.listen(path, Duration.ofMillis(200));
             SeqpacketSocket dispatcher = SeqpacketSocket.connect(path);
             ControlChannel worker = new ControlChannel(server.accept().orElseThrow());
             TcpListener listener = TcpListener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4, false);
             Socket client = new Socket(listener.localAddress().getAddress(), listener.localAddress().getPort())) {
            listener.acceptTimeout(Duration.ofSeconds(5));
            int fd = listener.accept();
            byte[] bad = LinkFrames.encode(new ControlMessage.Handoff(1, List.of("web")));
            bad[bad.length - 1] = 5;
            dispatcher.send(bad, fd);
            dev.berth.posix.FileDescriptors.close(fd);
            dispatcher.send(LinkFrames.encode(new ControlMessage.Revoke()));

            assertThatThrownBy(worker::receive).isInstanceOf(ControlException.class)
                    .hasMessageContaining("service index 5 of 1 names");
            assertThat(client.getInputStream().read()).as("the only copy left was closed").isEqualTo(-1);
            assertThat(worker.receive().orElseThrow().message()).isEqualTo(new ControlMessage.Revoke());
        }
    }

    private static void assertBad(String hex, String why) {
        assertThatThrownBy(() -> LinkFrames.decode(HexFormat.of().parseHex(hex))).as(hex)
                .isInstanceOf(ControlException.class).hasMessageContaining(why);
    }
}
