package dev.berth.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class RelayPolicyTest {

    private final RelayPolicy withNextHop = new RelayPolicy(Set.of("example.test")::contains, true, "postmaster@example.test");
    private final RelayPolicy withoutNextHop = new RelayPolicy(Set.of("example.test")::contains, false, "postmaster@example.test");

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
