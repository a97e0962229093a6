package dev.berth.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.posix.TcpListener;
import dev.berth.testpeers.Await;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A refused client reads the whole refusal, even one that had sent its request already. */
class RefusalsTest {

    private static final byte[] HTTP_421 = "HTTP/1.1 421 Misdirected Request\r\ncontent-length: 0\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    @Test
    void aClientThatSentARequestStillReadsTheRefusalAndTheConnectionIsClosedAfterIt() throws Exception {
        try (TcpListener listener = TcpListener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8, false);
             Refusals refusals = new Refusals(() -> System.nanoTime() / 1_000_000);
             Socket client = new Socket()) {
            listener.acceptTimeout(Duration.ofSeconds(5));
            client.connect(listener.localAddress(), 5000);
            client.getOutputStream().write("GET / HTTP/1.1\r\nhost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            int fd = listener.accept();

            refusals.refuse(fd, HTTP_421);

            client.setSoTimeout(5000);
            InputStream in = client.getInputStream();
            assertThat(in.readAllBytes()).isEqualTo(HTTP_421);
            assertThat(refusals.lingering()).isEqualTo(1);
            client.close();
            Await.require("the refused connection closed", Duration.ofSeconds(5), () -> refusals.lingering() == 0);
        }
    }
}
