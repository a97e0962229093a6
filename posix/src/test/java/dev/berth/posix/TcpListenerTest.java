package dev.berth.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TcpListenerTest {

    @Test
    void portZeroReportsTheBoundPort() {
        try (TcpListener l = TcpListener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16, false)) {
            assertThat(l.localAddress().getPort()).isPositive();
        }
    }

    @Test
    void ipv6LoopbackBinds() throws Exception {
        try (TcpListener l = TcpListener.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0), 16, false)) {
            assertThat(l.localAddress().getAddress().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
        }
    }

    @Test
    void boundAddressCannotBeBoundTwice() {
        try (TcpListener l = TcpListener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16, false)) {
            assertThatThrownBy(() -> TcpListener.bind(l.localAddress(), 16, false))
                    .isInstanceOf(PosixException.class)
                    .hasMessageContaining("Address already in use");
        }
    }

    @Test
    void acceptReturnsMinusOneAfterTheTimeout() {
        try (TcpListener l = TcpListener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16, false)) {
            l.acceptTimeout(Duration.ofMillis(30));
            assertThat(FileDescriptors.isBlocking(l.fd())).isTrue();
            assertThat(l.accept()).isEqualTo(-1);
        }
    }

    @Test
    void blockingFlagCanBeCleared() {
        try (TcpListener l = TcpListener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16, false)) {
            l.blocking(false);
            assertThat(FileDescriptors.isBlocking(l.fd())).isFalse();
            assertThat(l.accept()).isEqualTo(-1);
        }
    }
}
