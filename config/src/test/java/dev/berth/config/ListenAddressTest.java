package dev.berth.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class ListenAddressTest {

    @Test
    void ipv4AddressIsParsed() {
        ListenAddress address = ListenAddress.parse("127.0.0.1:8080");

        assertThat(address).isEqualTo(new ListenAddress("127.0.0.1", 8080));
        assertThat(address.ipv6()).isFalse();
        assertThat(address).hasToString("127.0.0.1:8080");
        assertThat(address.toSocketAddress()).isEqualTo(new InetSocketAddress(InetAddress.getLoopbackAddress(), 8080));
    }

    @Test
    void ipv6AddressIsParsedFromBrackets() {
        ListenAddress address = ListenAddress.parse("[::1]:8080");

        assertThat(address.host()).isEqualTo("::1");
        assertThat(address.ipv6()).isTrue();
        assertThat(address).hasToString("[::1]:8080");
        assertThat(address.toSocketAddress().getAddress().isLoopbackAddress()).isTrue();
        assertThat(address.toSocketAddress().isUnresolved()).isFalse();
    }

    @Test
    void ipv6IsCanonicalSoThatEqualAddressesAreEqual() {
        assertThat(ListenAddress.parse("[0:0:0:0:0:0:0:1]:80")).isEqualTo(ListenAddress.parse("[::1]:80"));
        assertThat(ListenAddress.parse("[2001:DB8:0:0:1:0:0:1]:80")).hasToString("[2001:db8::1:0:0:1]:80");
        assertThat(ListenAddress.parse("[::]:0")).hasToString("[::]:0");
        assertThat(ListenAddress.parse("[fe80:0:0:0:0:0:0:0]:1").host()).isEqualTo("fe80::");
    }

    @Test
    void ipv4MappedIpv6BecomesIpv4AsTheJdkBindsIt() {
        assertThat(ListenAddress.parse("[::ffff:127.0.0.1]:80")).isEqualTo(new ListenAddress("127.0.0.1", 80));
    }

    @Test
    void starMeansTheIpv4AnyAddress() {
        ListenAddress address = ListenAddress.parse("*:7000");

        assertThat(address).isEqualTo(new ListenAddress("0.0.0.0", 7000));
        assertThat(address.toSocketAddress().getAddress().isAnyLocalAddress()).isTrue();
        assertThat(ListenAddress.parse("*:0")).hasToString("0.0.0.0:0");
    }

    @Test
    void toStringParsesBack() {
        for (String text : new String[] {"127.0.0.1:8080", "[::1]:8080", "0.0.0.0:0", "[2001:db8::1]:65535"}) {
            assertThat(ListenAddress.parse(text)).hasToString(text);
        }
    }

    @Test
    void missingPortIsReported() {
        assertThatThrownBy(() -> ListenAddress.parse("127.0.0.1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"127.0.0.1\" has no port");
        assertThatThrownBy(() -> ListenAddress.parse("[::1]")).hasMessage("\"[::1]\" has no port");
        assertThatThrownBy(() -> ListenAddress.parse("*")).hasMessage("\"*\" has no port");
        assertThatThrownBy(() -> ListenAddress.parse("")).hasMessage("\"\" has no port");
    }

    @Test
    void badPortIsReported() {
        assertThatThrownBy(() -> ListenAddress.parse("127.0.0.1:65536"))
                .hasMessage("\"127.0.0.1:65536\" has port 65536, which is out of range (0 to 65535)");
        assertThatThrownBy(() -> ListenAddress.parse("127.0.0.1:"))
                .hasMessage("\"127.0.0.1:\" has port \"\", which is not a number from 0 to 65535");
        assertThatThrownBy(() -> ListenAddress.parse("127.0.0.1:-1"))
                .hasMessage("\"127.0.0.1:-1\" has port \"-1\", which is not a number from 0 to 65535");
        assertThatThrownBy(() -> ListenAddress.parse("127.0.0.1:http"))
                .hasMessage("\"127.0.0.1:http\" has port \"http\", which is not a number from 0 to 65535");
    }

    @Test
    void namesAndMalformedHostsAreNotResolved() {
        assertThatThrownBy(() -> ListenAddress.parse("localhost:80"))
                .hasMessage("\"localhost:80\": host \"localhost\" is not a numeric IPv4 or IPv6 address (names are not resolved)");
        assertThatThrownBy(() -> ListenAddress.parse("256.0.0.1:80")).hasMessageContaining("host \"256.0.0.1\" is not");
        assertThatThrownBy(() -> ListenAddress.parse("127.1:80")).hasMessageContaining("host \"127.1\" is not");
        assertThatThrownBy(() -> ListenAddress.parse("010.0.0.1:80")).hasMessageContaining("host \"010.0.0.1\" is not");
        assertThatThrownBy(() -> ListenAddress.parse("[fe80::1%eth0]:80")).hasMessageContaining("host \"fe80::1%eth0\" is not");
        assertThatThrownBy(() -> ListenAddress.parse("[::g]:80")).hasMessageContaining("host \"::g\" is not");
        assertThatThrownBy(() -> ListenAddress.parse(":80")).hasMessageContaining("host \"\" is not");
    }

    @Test
    void bracketsAreRequiredAroundIpv6AndMustClose() {
        assertThatThrownBy(() -> ListenAddress.parse("::1:80"))
                .hasMessage("\"::1:80\" needs brackets around the IPv6 address, like [::1]:8080");
        assertThatThrownBy(() -> ListenAddress.parse("[::1:80"))
                .hasMessage("\"[::1:80\" has no closing bracket after the IPv6 address");
        assertThatThrownBy(() -> ListenAddress.parse("[::1]80"))
                .hasMessage("\"[::1]80\" has \"80\" after the address instead of :port");
    }

    @Test
    void constructorChecksHostAndPort() {
        assertThatThrownBy(() -> new ListenAddress("example.org", 80)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ListenAddress("127.0.0.1", 70000))
                .hasMessage("port 70000 is out of range (0 to 65535)");
        assertThat(new ListenAddress("0:0::0", 1)).isEqualTo(new ListenAddress("::", 1));
    }
}
