package dev.berth.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/**
 * Reading this namespace's interfaces through NETLINK_ROUTE. Adding and removing addresses changes
 * the host, so it is tested in network namespaces by the process tests ({@code berth addr}).
 */
class NetworkInterfacesTest {

    @Test
    void theLoopbackInterfaceHasItsAddress() throws Exception {
        int lo = NetworkInterfaces.index("lo");

        assertThat(NetworkInterfaces.list()).contains(new InterfaceAddress(InetAddress.getByName("127.0.0.1"), 8, lo));
        assertThat(NetworkInterfaces.find(InetAddress.getByName("127.0.0.1"))).map(InterfaceAddress::ifindex).contains(lo);
    }

    @Test
    void anUnknownInterfaceIsNamedInTheFailure() {
        assertThatThrownBy(() -> NetworkInterfaces.index("berth-nope0"))
                .isInstanceOf(PosixException.class).hasMessageContaining("if_nametoindex(berth-nope0)");
    }
}
