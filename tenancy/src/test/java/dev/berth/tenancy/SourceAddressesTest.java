package dev.berth.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.config.PortRange;
import dev.berth.config.SourceAddressPolicy;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The outbound source address: the group's address of the target's family, or the policy's fallback. */
class SourceAddressesTest {

    private static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    @Test
    void theGroupsAddressOfTheTargetsFamilyIsBound() throws Exception {
        SourceAddresses acme = new SourceAddresses("acme", List.of(ip("10.77.0.1"), ip("2001:db8::1")),
                SourceAddressPolicy.ENFORCE, Optional.of(new PortRange(40000, 40999)));

        assertThat(acme.choose(ip("192.0.2.25"))).isEqualTo(new SourceAddresses.Bind(ip("10.77.0.1"),
                Optional.of(new PortRange(40000, 40999))));
        assertThat(acme.choose(ip("2001:db8:ff::25"))).isEqualTo(new SourceAddresses.Bind(ip("2001:db8::1"),
                Optional.of(new PortRange(40000, 40999))));
        assertThat(acme.choose(ip("::ffff:192.0.2.25"))).isInstanceOf(SourceAddresses.Bind.class)
                .extracting(c -> ((SourceAddresses.Bind) c).source()).isEqualTo(ip("10.77.0.1"));
    }

    @Test
    void enforceRefusesWithoutAnAddressOfTheFamily() throws Exception {
        SourceAddresses acme = new SourceAddresses("acme", List.of(ip("10.77.0.1")), SourceAddressPolicy.ENFORCE, Optional.empty());

        assertThat(acme.choose(ip("2001:db8::25")))
                .isEqualTo(new SourceAddresses.Refuse("group acme has no IPv6 address (source-address: enforce)"));
    }

    @Test
    void preferLetsTheKernelChooseAndSaysWhy() throws Exception {
        SourceAddresses acme = new SourceAddresses("acme", List.of(ip("10.77.0.1")), SourceAddressPolicy.PREFER, Optional.empty());

        assertThat(acme.onBindFailure(ip("10.77.0.1"), "Cannot assign requested address")).isEqualTo(
                new SourceAddresses.Kernel("group acme cannot bind 10.77.0.1: Cannot assign requested address;"
                        + " the kernel chooses (source-address: prefer)", Optional.empty()));
    }
}
