package dev.berth.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class HostPortTest {

    @Test
    void namesAndLiteralsAreReadWithoutLookingThemUp() {
        assertThat(HostPort.parse("127.0.0.1:10025")).isEqualTo(new HostPort("127.0.0.1", 10025));
        assertThat(HostPort.parse("[::1]:25")).isEqualTo(new HostPort("::1", 25));
        assertThat(HostPort.parse("Example.ORG", 143)).isEqualTo(new HostPort("example.org", 143));
        assertThat(HostPort.parse("mail.example.org:1110", 110)).isEqualTo(new HostPort("mail.example.org", 1110));
    }

    @Test
    void itPrintsWhatItReadsBack() {
        assertThat(HostPort.parse("[2001:db8::1]", 110)).hasToString("[2001:db8::1]:110");
        assertThat(HostPort.parse(HostPort.parse("[::1]:25").toString())).isEqualTo(new HostPort("::1", 25));
    }

    @Test
    void aMissingPortIsAnErrorOnlyWithoutADefault() {
        assertThatThrownBy(() -> HostPort.parse("127.0.0.1")).hasMessage("\"127.0.0.1\" has no port");
        assertThat(HostPort.parse("127.0.0.1", 110).port()).isEqualTo(110);
    }

    @Test
    void anUnbracketedIpv6AddressIsRefusedWithTheFix() {
        assertThatThrownBy(() -> HostPort.parse("::1:25")).hasMessageContaining("needs brackets");
    }

    @Test
    void badAddressesAreRefused() {
        for (String bad : List.of("h:", "h:0", "h:99999", "h:x", "[::1", "[::1]x", "", ":25", "a b:25", "a@b:25", "a/b:25")) {
            assertThatThrownBy(() -> HostPort.parse(bad, 110)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aHostLongerThanAnyDnsNameIsRefused() {
        assertThat(HostPort.parse("a".repeat(253), 110).host()).hasSize(253);
        assertThatThrownBy(() -> HostPort.parse("a".repeat(254), 110)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 253");
    }
}
