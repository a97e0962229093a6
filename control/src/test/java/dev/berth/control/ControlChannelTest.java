package dev.berth.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.posix.SeqpacketServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlChannelTest {

    @TempDir
    Path dir;

    @Test
    void everyMessageTypeSurvivesTheRoundTrip() {
        Path path = dir.resolve("w.sock");
        try (SeqpacketServer server = SeqpacketServer.listen(path, Duration.ofMillis(200));
             ControlChannel worker = ControlChannel.connect(path);
             ControlChannel master = new ControlChannel(server.accept().orElseThrow())) {
            List<ControlMessage> messages = List.of(
                    new ControlMessage.Hello(3, 99),
                    new ControlMessage.Assignment("/etc/berth.yaml", "services: []", "web", 2, 7,
                            List.of(new ControlMessage.Listener("echo", "127.0.0.1:7000")), "/run/berth/dispatch-web-7.sock"),
                    new ControlMessage.Ready(),
                    new ControlMessage.Drain(1500));
            for (ControlMessage m : messages) {
                worker.send(m);
                assertThat(master.receive().orElseThrow().message()).isEqualTo(m);
            }
            assertThat(master.peerPid()).isEqualTo(ProcessHandle.current().pid());
        }
    }
}
