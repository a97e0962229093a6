package dev.berth.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.config.GroupConfig;
import dev.berth.config.LoopbackPolicy;
import dev.berth.config.SourceAddressPolicy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The classification rules of DESIGN.md §7 and docs/adr/0014, without sockets. */
class ClassifierTest {

    private static final GroupConfig ACME = group("acme", LoopbackPolicy.OWN, "10.77.0.1", "2001:db8::1");
    private static final GroupConfig GLOBEX = group("globex", LoopbackPolicy.DENY, "10.77.0.2");
    private static final GroupConfig INITECH = group("initech", LoopbackPolicy.ANY, "10.77.0.3");
    private static final List<GroupConfig> GROUPS = List.of(ACME, GLOBEX, INITECH);
    private static final ServiceTenancy MX = new ServiceTenancy("mx", Set.of("acme", "globex", "initech"), Optional.empty());

    private final Classifier classifier = new Classifier(AddressTable.of(GROUPS, List.of(), 0), GROUPS);
    private final List<String> asked = new ArrayList<>();

    private static GroupConfig group(String name, LoopbackPolicy loopback, String... addresses) {
        return new GroupConfig(name, List.of(addresses), Optional.empty(), SourceAddressPolicy.PREFER, loopback,
                Optional.empty(), dev.berth.config.ConfigSection.empty(Path.of("t.yaml"), "groups." + name));
    }

    private static InetSocketAddress at(String host, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** Peer sockets owned by processes of groups, by the peer's port. */
    private PeerOwners owners(Map<Integer, String> byPort) {
        return (local, peer) -> {
            asked.add(peer.toString());
            return Optional.ofNullable(byPort.get(peer.getPort()));
        };
    }

    private Verdict classify(ServiceTenancy service, String destination, String peer, int peerPort, Map<Integer, String> owners) {
        return classifier.classify(service, at(destination, 2525), at(peer, peerPort), owners(owners));
    }

    @Test
    void aRemoteConnectionGoesToTheGroupThatOwnsItsDestination() {
        assertThat(classify(MX, "10.77.0.2", "192.0.2.7", 40000, Map.of()))
                .isEqualTo(new Verdict.Routed("globex", Verdict.How.ADDRESS));
        assertThat(classify(MX, "2001:db8::1", "2001:db8:99::7", 40000, Map.of()))
                .isEqualTo(new Verdict.Routed("acme", Verdict.How.ADDRESS));
        assertThat(asked).as("no owner lookup for a remote peer").isEmpty();
    }

    @Test
    void aV4MappedDestinationIsNormalisedFirst() {
        assertThat(classify(MX, "::ffff:10.77.0.1", "::ffff:192.0.2.7", 40000, Map.of()))
                .isEqualTo(new Verdict.Routed("acme", Verdict.How.ADDRESS));
    }

    @Test
    void aLoopbackConnectionGoesToTheGroupOfTheConnectingProcess() {
        assertThat(classify(MX, "127.0.0.1", "127.0.0.1", 40001, Map.of(40001, "globex")))
                .isEqualTo(new Verdict.Routed("globex", Verdict.How.LOOPBACK));
        assertThat(classify(MX, "::1", "::1", 40002, Map.of(40002, "acme")))
                .isEqualTo(new Verdict.Routed("acme", Verdict.How.LOOPBACK));
    }

    @Test
    void aLocalProcessSpeakingFromAnUnclaimedAddressOfTheHostIsAskedForItsGroup() {
        // dialling a local address unbound, a process speaks from its subnet's primary address
        Classifier here = new Classifier(classifier.table(), GROUPS, a -> a.getHostAddress().equals("10.77.0.254"));
        assertThat(here.classify(MX, at("10.77.0.2", 2525), at("10.77.0.254", 40001), owners(Map.of(40001, "acme"))))
                .isEqualTo(new Verdict.Routed("acme", Verdict.How.LOOPBACK));
        assertThat(here.classify(MX, at("10.77.0.1", 2525), at("10.77.0.254", 40002), owners(Map.of(40002, "globex"))))
                .isEqualTo(new Verdict.Refused(Verdict.Cause.LOOPBACK_DENIED, "acme"));
        assertThat(classify(MX, "10.77.0.2", "10.77.0.254", 40003, Map.of(40003, "acme")))
                .as("without knowing the host's addresses, the peer looks remote")
                .isEqualTo(new Verdict.Routed("globex", Verdict.How.ADDRESS));
    }

    @Test
    void aLoopbackConnectionOfNoGroupsProcessIsRefusedWithoutADefault() {
        assertThat(classify(MX, "127.0.0.1", "127.0.0.1", 40003, Map.of()))
                .isEqualTo(new Verdict.Refused(Verdict.Cause.NO_OWNER, ""));
    }

    @Test
    void theDefaultGroupTakesWhatNobodyOwns() {
        ServiceTenancy withDefault = new ServiceTenancy("mx", MX.groups(), Optional.of("initech"));

        assertThat(classify(withDefault, "127.0.0.1", "127.0.0.1", 40003, Map.of()))
                .isEqualTo(new Verdict.Routed("initech", Verdict.How.DEFAULT));
        assertThat(classify(withDefault, "192.0.2.1", "192.0.2.7", 40003, Map.of()))
                .isEqualTo(new Verdict.Routed("initech", Verdict.How.DEFAULT));
    }

    @Test
    void aPeerBoundToAGroupsAddressIsThatGroupWithoutALookup() {
        assertThat(classify(MX, "127.0.0.1", "10.77.0.2", 40004, Map.of()))
                .isEqualTo(new Verdict.Routed("globex", Verdict.How.LOOPBACK));
        assertThat(asked).isEmpty();
    }

    @Test
    void ownLoopbackRoutesAGroupsProcessToItsOwnInstanceWhateverItDialled() {
        assertThat(classify(MX, "10.77.0.2", "10.77.0.2", 40005, Map.of(40005, "acme")))
                .isEqualTo(new Verdict.Routed("acme", Verdict.How.LOOPBACK));
    }

    @Test
    void denyLoopbackRefusesAGroupsProcessAtAnotherGroupsAddress() {
        assertThat(classify(MX, "10.77.0.1", "10.77.0.2", 40006, Map.of()))
                .isEqualTo(new Verdict.Refused(Verdict.Cause.LOOPBACK_DENIED, "acme"));
        assertThat(classify(MX, "10.77.0.2", "127.0.0.1", 40007, Map.of(40007, "globex")))
                .as("its own address is fine").isEqualTo(new Verdict.Routed("globex", Verdict.How.ADDRESS));
    }

    @Test
    void anyLoopbackLetsAGroupsProcessReachAnotherGroupByDestination() {
        assertThat(classify(MX, "10.77.0.1", "10.77.0.3", 40008, Map.of()))
                .isEqualTo(new Verdict.Routed("acme", Verdict.How.ADDRESS));
    }

    @Test
    void aLocalProcessOfNoGroupReachesTheDestinationsOwner() {
        assertThat(classify(MX, "10.77.0.1", "127.0.0.1", 40009, Map.of()))
                .isEqualTo(new Verdict.Routed("acme", Verdict.How.ADDRESS));
        assertThat(asked).containsExactly("/127.0.0.1:40009");
    }

    @Test
    void aGroupTheServiceDoesNotRunIsRefusedAsNotServed() {
        ServiceTenancy web = new ServiceTenancy("web", Set.of("acme"), Optional.empty());

        assertThat(classify(web, "10.77.0.2", "192.0.2.7", 40010, Map.of()))
                .isEqualTo(new Verdict.Refused(Verdict.Cause.NOT_SERVED, "globex"));
    }

    @Test
    void aDrainingAddressOwnsNoNewConnection() throws Exception {
        Classifier draining = new Classifier(classifier.table().draining(InetAddress.getByName("10.77.0.1"), 99), GROUPS);

        assertThat(draining.classify(MX, at("10.77.0.1", 25), at("192.0.2.7", 1), PeerOwners.NONE))
                .isEqualTo(new Verdict.Refused(Verdict.Cause.NO_OWNER, ""));
    }
}
