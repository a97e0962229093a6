package dev.berth.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HostAddressesTest {

    @Test
    void everyInterfaceAddressOfThisHostIsOneOfItsAndADocumentationAddressIsNot() throws Exception {
        AtomicLong now = new AtomicLong();
        HostAddresses host = new HostAddresses(now::get);
        InetAddress some = NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
                .filter(a -> !a.isLoopbackAddress()).findFirst().orElse(InetAddress.getLoopbackAddress());

        assertThat(host.test(InetAddress.getByName("127.0.0.1"))).isTrue();
        assertThat(host.test(some)).as(some.toString()).isTrue();
        assertThat(host.test(InetAddress.getByName("192.0.2.77"))).isFalse();
        now.set(HostAddresses.REFRESH_MS);
        assertThat(host.test(InetAddress.getByName("::ffff:127.0.0.1"))).as("v4-mapped, after a refresh").isTrue();
    }
}
