package dev.berth.posix;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AcceptLockTest {

    @TempDir
    Path dir;

    @Test
    void secondOpenerWaitsUntilTheFirstUnlocks() throws Exception {
        try (AcceptLock first = AcceptLock.open(dir.resolve("lock")); AcceptLock second = AcceptLock.open(dir.resolve("lock"))) {
            first.lock();
            CompletableFuture<Void> waiting = CompletableFuture.runAsync(second::lock);
            assertThat(waiting).failsWithin(200, TimeUnit.MILLISECONDS);
            first.unlock();
            waiting.get(5, TimeUnit.SECONDS);
            second.unlock();
        }
    }

    @Test
    void closingTheHoldersFileReleasesTheLock() throws Exception {
        try (AcceptLock second = AcceptLock.open(dir.resolve("lock"))) {
            AcceptLock first = AcceptLock.open(dir.resolve("lock"));
            first.lock();
            CompletableFuture<Void> waiting = CompletableFuture.runAsync(second::lock);
            first.close();
            waiting.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void pollSeesAPendingConnection() throws Exception {
        try (TcpListener l = TcpListener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16, false)) {
            assertThat(Poll.readable(new int[] {l.fd()}, 10)).containsExactly(false);
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), l.localAddress().getPort())) {
                assertThat(Poll.readable(new int[] {l.fd()}, 1000)).containsExactly(true);
            }
        }
    }

    @Test
    void reservedAddressAcceptsReusePortListenersOnTheSamePort() {
        try (TcpListener anchor = TcpListener.reserve(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             TcpListener a = TcpListener.bind(anchor.localAddress(), 16, true);
             TcpListener b = TcpListener.bind(anchor.localAddress(), 16, true)) {
            assertThat(a.localAddress()).isEqualTo(b.localAddress()).isEqualTo(anchor.localAddress());
        }
    }
}
