package dev.berth.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.config.GroupConfig;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Claims from the config and at run time; stealing refused; draining; normalisation. */
class AddressTableTest {

    private static final List<GroupConfig> GROUPS = List.of(
            GroupConfig.of("acme", List.of("10.77.0.1"), Optional.empty()),
            GroupConfig.of("globex", List.of("10.77.0.2", "2001:db8::2"), Optional.empty()));

    private static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    @Test
    void theConfigsAddressesBelongToTheirGroups() throws Exception {
        AddressTable table = AddressTable.of(GROUPS, List.of(), 5);

        assertThat(table.owner(ip("10.77.0.2"))).contains("globex");
        assertThat(table.owner(ip("::ffff:10.77.0.1"))).contains("acme");
        assertThat(table.owner(ip("2001:db8:0::2"))).contains("globex");
        assertThat(table.owner(ip("10.77.0.9"))).isEmpty();
        assertThat(table.claims()).extracting(c -> c.group() + " " + Addresses.text(c.address()) + " " + c.origin())
                .containsExactly("acme 10.77.0.1 CONFIG", "globex 10.77.0.2 CONFIG", "globex 2001:db8::2 CONFIG");
    }

    @Test
    void aRuntimeClaimAddsAnAddressAndAnotherGroupsAddressCannotBeTaken() throws Exception {
        AddressTable table = AddressTable.of(GROUPS, List.of(), 5)
                .with(new Claim(ip("10.77.0.9"), "acme", "eth0", 6, Claim.Origin.RUNTIME, 0));

        assertThat(table.owner(ip("10.77.0.9"))).contains("acme");
        assertThatThrownBy(() -> table.with(new Claim(ip("10.77.0.9"), "globex", "eth0", 7, Claim.Origin.RUNTIME, 0)))
                .isInstanceOf(TenancyException.class).hasMessage("10.77.0.9 belongs to group acme; remove it there first (berth addr del)");
    }

    @Test
    void aDrainingAddressIsStillClaimedButOwnsNothingNew() throws Exception {
        AddressTable table = AddressTable.of(GROUPS, List.of(), 5).draining(ip("10.77.0.1"), 1000);

        assertThat(table.owner(ip("10.77.0.1"))).isEmpty();
        assertThat(table.claim(ip("10.77.0.1"))).map(Claim::drainingUntil).contains(1000L);
        assertThat(table.without(ip("10.77.0.1")).claim(ip("10.77.0.1"))).isEmpty();
    }

    @Test
    void keptClaimsOfGroupsThatRemainSurviveAndTheConfigWins() throws Exception {
        List<Claim> kept = List.of(new Claim(ip("10.77.0.8"), "acme", "eth0", 1, Claim.Origin.PERSISTED, 0),
                new Claim(ip("10.77.0.2"), "acme", "eth0", 1, Claim.Origin.PERSISTED, 0),
                new Claim(ip("10.77.0.7"), "gone", "eth0", 1, Claim.Origin.PERSISTED, 0));

        AddressTable table = AddressTable.of(GROUPS, kept, 5);

        assertThat(table.owner(ip("10.77.0.8"))).contains("acme");
        assertThat(table.owner(ip("10.77.0.2"))).contains("globex");
        assertThat(table.owner(ip("10.77.0.7"))).isEmpty();
    }

    @Test
    void ipv6TextIsCanonical() throws Exception {
        assertThat(Addresses.text(ip("2001:db8:0:0:1:0:0:1"))).isEqualTo("2001:db8::1:0:0:1");
        assertThat(Addresses.text(ip("::1"))).isEqualTo("::1");
        assertThat(Addresses.text(ip("fe80::"))).isEqualTo("fe80::");
    }
}
