package dev.berth.config;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One tenant group (DESIGN.md §7): the addresses it owns, the user its workers run as, and its
 * outbound and loopback policies. Immutable and thread-safe.
 *
 * @param name unique in the file: lower-case letters, digits and {@code -}; never {@code none}
 * @param addresses the numeric addresses it owns, at least one, each in canonical spelling (an
 *     IPv4-mapped IPv6 address in its IPv4 form), in file order
 * @param user the account its workers run as when the master is root; empty to use
 *     {@code master.user}
 * @param sourceAddress what its outbound connections do without an address of the target's family
 * @param loopback where its own processes land when they connect to a grouped service locally
 * @param ephemeralPorts the local ports its outbound connections use, when it has a range of its own
 * @param section the group's own section of the file, to locate problems found later (a user
 *     unknown on this host)
 */
public record GroupConfig(String name, List<String> addresses, Optional<String> user,
                          SourceAddressPolicy sourceAddress, LoopbackPolicy loopback,
                          Optional<PortRange> ephemeralPorts, ConfigSection section) {

    /** The word {@code default-group} uses for "no default"; no group may be called this. */
    public static final String NONE = "none";

    /**
     * Checks the components and canonicalises the addresses.
     *
     * @throws NullPointerException if any reference is null
     * @throws IllegalArgumentException if the name is not valid or is {@code none}, there is no
     *     address, an address is not a numeric address or repeats
     */
    public GroupConfig {
        Names.check("group name", Objects.requireNonNull(name, "name"));
        if (name.equals(NONE)) {
            throw new IllegalArgumentException("a group cannot be called " + NONE);
        }
        addresses = addresses.stream().map(a -> IpLiteral.canonical(a).orElseThrow(
                () -> new IllegalArgumentException(Messages.quote(a) + " is not a numeric address"))).toList();
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("group " + name + " needs at least one address");
        }
        if (addresses.stream().distinct().count() != addresses.size()) {
            throw new IllegalArgumentException("group " + name + " lists an address twice: " + addresses);
        }
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(sourceAddress, "sourceAddress");
        Objects.requireNonNull(loopback, "loopback");
        Objects.requireNonNull(ephemeralPorts, "ephemeralPorts");
        Objects.requireNonNull(section, "section");
    }

    /** A group with the default policies and no port range of its own, for tests and embedding. */
    public static GroupConfig of(String name, List<String> addresses, Optional<String> user) {
        return new GroupConfig(name, addresses, user, SourceAddressPolicy.PREFER, LoopbackPolicy.OWN,
                Optional.empty(), ConfigSection.empty(java.nio.file.Path.of("berth.yaml"), "groups." + name));
    }

    /** The addresses as {@link InetAddress}es, made without any lookup, in order. */
    public List<InetAddress> inetAddresses() {
        return addresses.stream().map(IpLiteral::address).toList();
    }

    /**
     * A problem with one of the group's keys found after loading (an unknown user), located at the
     * key's value like the loader's own problems.
     */
    public ConfigException error(String key, String problem, String accepted) {
        return section.error(key, problem, accepted);
    }
}
