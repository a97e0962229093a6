package dev.berth.posix;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import dev.berth.testpeers.Await;
import org.junit.jupiter.api.Test;

/** A raw accepted connection: its addresses, a goodbye written without waiting, what arrived discarded. */
class TcpConnectionsTest {

    @Test
    void anAcceptedConnectionKnowsBothEndsAndCanSayGoodbye() throws Exception {
        try (TcpListener listener = TcpListener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8, false);
             Socket client = new Socket()) {
            listener.acceptTimeout(Duration.ofSeconds(5));
            client.connect(listener.localAddress(), 5000);
            client.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            int fd = listener.accept();
            try {
                assertThat(TcpConnections.local(fd)).isEqualTo(listener.localAddress());
                assertThat(TcpConnections.peer(fd)).isEqualTo(client.getLocalSocketAddress());
                assertThat(TcpConnections.sendNow(fd, "421 bye\r\n".getBytes(StandardCharsets.US_ASCII))).isEqualTo(9);
                TcpConnections.shutdownWrite(fd);
                client.setSoTimeout(5000);
                InputStream in = client.getInputStream();
                assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("421 bye\r\n");
                client.shutdownOutput();
                assertThat(Await.until(Duration.ofSeconds(5), Await.INTERVAL, () -> TcpConnections.discard(fd) < 0))
                        .as("the client's end of stream is seen").isTrue();
            } finally {
                FileDescriptors.close(fd);
            }
        }
    }
}
