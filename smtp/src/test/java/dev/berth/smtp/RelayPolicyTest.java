package dev.berth.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RelayPolicyTest {

    private static final Postmaster DEFAULT = new Postmaster(Optional.empty(), "example.test");
    private final RelayPolicy withNextHop = new RelayPolicy(Set.of("example.test", "other.test")::contains, true, DEFAULT);
    private final RelayPolicy withoutNextHop = new RelayPolicy(Set.of("example.test", "other.test")::contains, false, DEFAULT);

    @Test
    void localRecipientsAreTakenFromAnyone() {
        assertThat(withoutNextHop.decide("bob@Example.TEST", false))
                .isEqualTo(new RelayPolicy.Decision.Accept("bob@Example.TEST", true));
    }

    @Test
    void postmasterWithoutDomainGoesToTheConfiguredAddress() {
        assertThat(withoutNextHop.decide("PostMaster", false))
                .isEqualTo(new RelayPolicy.Decision.Accept("postmaster@example.test", true));
    }

    @Test
    void eachLocalDomainsPostmasterIsItsOwnUnlessOneIsConfigured() {
        assertThat(withoutNextHop.decide("POSTMASTER@Other.test", false))
                .isEqualTo(new RelayPolicy.Decision.Accept("postmaster@other.test", true));
        RelayPolicy configured = new RelayPolicy(Set.of("example.test", "other.test")::contains, false,
                new Postmaster(Optional.of("abuse@example.test"), "example.test"));
        assertThat(configured.decide("postmaster", false)).isEqualTo(new RelayPolicy.Decision.Accept("abuse@example.test", true));
        assertThat(configured.decide("Postmaster@other.TEST", false)).isEqualTo(new RelayPolicy.Decision.Accept("abuse@example.test", true));
    }

    @Test
    void anotherDomainsPostmasterIsNoLocalRecipient() {
        assertThat(withoutNextHop.decide("postmaster@elsewhere.test", false)).isInstanceOf(RelayPolicy.Decision.Refuse.class);
    }

    @Test
    void otherDomainsNeedAClientThatMayRelay() {
        assertThat(withNextHop.decide("x@elsewhere.test", false)).hasToString(
                "Refuse[reply=554 5.7.1 <x@elsewhere.test>: Relay access denied]");
        assertThat(withNextHop.decide("x@elsewhere.test", true))
                .isEqualTo(new RelayPolicy.Decision.Accept("x@elsewhere.test", false));
    }

    @Test
    void otherDomainsWithoutANextHopAreRefusedEvenToTrustedClients() {
        assertThat(withoutNextHop.decide("x@elsewhere.test", true)).hasToString(
                "Refuse[reply=550 5.7.1 <x@elsewhere.test>: Relaying not configured]");
    }
}
