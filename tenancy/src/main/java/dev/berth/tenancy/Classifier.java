package dev.berth.tenancy;

import dev.berth.config.GroupConfig;
import dev.berth.config.LoopbackPolicy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Decides which tenant group's instance of a service takes a connection (DESIGN.md §7,
 * docs/adr/0014). Pure: no sockets; the owner of a local peer comes from the {@link PeerOwners}
 * passed in, asked only when the answer matters. Immutable and thread-safe; a change of the
 * address table makes a new classifier.
 *
 * <pre>
 *  D = owner of the destination address (v4-mapped normalised)        -- one hash probe
 *  local = the peer is loopback, a claimed address, the destination itself, or another address
 *          of this host (the kernel's choice for a process that dials a local address unbound)
 *  S = for a local peer: the owner of the peer address when it differs from the destination,
 *      else the group of the peer socket's owner (a sock_diag lookup)
 *
 *  D and local and S and S != D:  S's loopback policy   own -&gt; S (loopback)
 *                                                       deny -&gt; refused (loopback-denied)
 *                                                       any -&gt; D (address)
 *  D:                             D (address)
 *  S:                             S (loopback)
 *  otherwise:                     default-group (default), or refused (no-owner)
 *  a group the service does not run: default-group, or refused (not-served)
 * </pre>
 */
public final class Classifier {

    private final AddressTable table;
    private final Map<String, LoopbackPolicy> loopback;
    private final Predicate<InetAddress> hostAddress;

    /** A classifier that knows no host address beyond loopback and the claims. */
    public Classifier(AddressTable table, List<GroupConfig> groups) {
        this(table, groups, address -> false);
    }

    /**
     * @param table who owns which address
     * @param groups every group of the config, for their loopback policies
     * @param hostAddress whether an address is this host's ({@link HostAddresses}); asked only for a
     *     peer that is neither loopback nor claimed nor the destination
     */
    public Classifier(AddressTable table, List<GroupConfig> groups, Predicate<InetAddress> hostAddress) {
        this.table = table;
        this.loopback = groups.stream().collect(Collectors.toUnmodifiableMap(GroupConfig::name, GroupConfig::loopback));
        this.hostAddress = hostAddress;
    }

    /** The table it classifies by. */
    public AddressTable table() {
        return table;
    }

    /**
     * Classifies one accepted connection of a grouped service.
     *
     * @param service the service it came in on
     * @param local the accepted socket's own address ({@code getsockname})
     * @param peer the accepted socket's peer ({@code getpeername})
     * @param owners finds the group of a local peer's process; asked at most once
     */
    public Verdict classify(ServiceTenancy service, InetSocketAddress local, InetSocketAddress peer, PeerOwners owners) {
        InetAddress destination = Addresses.normalize(local.getAddress());
        InetAddress source = Addresses.normalize(peer.getAddress());
        Optional<String> owner = table.owner(destination);
        boolean fromHere = Addresses.loopback(source) || table.claim(source).isPresent() || source.equals(destination)
                || hostAddress.test(source);
        // a process that did not bind speaks from the address it dialled: only a source address it
        // chose (as berth's outbound connections do) tells its group without a lookup
        Supplier<Optional<String>> sourceGroup = () -> (source.equals(destination) ? Optional.<String>empty()
                : table.owner(source)).or(() -> owners.groupOf(local, peer));
        if (owner.isPresent()) {
            Optional<String> from = fromHere ? sourceGroup.get() : Optional.empty();
            if (from.isEmpty() || from.get().equals(owner.get())) {
                return route(service, owner.get(), Verdict.How.ADDRESS);
            }
            return switch (loopback.getOrDefault(from.get(), LoopbackPolicy.OWN)) {
                case OWN -> route(service, from.get(), Verdict.How.LOOPBACK);
                case DENY -> new Verdict.Refused(Verdict.Cause.LOOPBACK_DENIED, owner.get());
                case ANY -> route(service, owner.get(), Verdict.How.ADDRESS);
            };
        }
        Optional<String> from = fromHere ? sourceGroup.get() : Optional.empty();
        if (from.isPresent()) {
            return route(service, from.get(), Verdict.How.LOOPBACK);
        }
        return fallback(service, Verdict.Cause.NO_OWNER, "");
    }

    private static Verdict route(ServiceTenancy service, String group, Verdict.How how) {
        return service.groups().contains(group) ? new Verdict.Routed(group, how)
                : fallback(service, Verdict.Cause.NOT_SERVED, group);
    }

    private static Verdict fallback(ServiceTenancy service, Verdict.Cause cause, String group) {
        return service.defaultGroup().<Verdict>map(g -> new Verdict.Routed(g, Verdict.How.DEFAULT))
                .orElseGet(() -> new Verdict.Refused(cause, group));
    }
}
