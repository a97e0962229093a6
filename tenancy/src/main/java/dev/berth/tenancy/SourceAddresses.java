package dev.berth.tenancy;

import dev.berth.config.GroupConfig;
import dev.berth.config.PortRange;
import dev.berth.config.SourceAddressPolicy;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Chooses the source address of a tenant group's outbound connections (DESIGN.md §7): the group's
 * first address of the target's family. Pure and immutable; the connecting code binds what it is
 * told, and falls back by {@link #onBindFailure} when the address is gone from the host.
 *
 * @param group the group's name, for messages
 * @param addresses the group's addresses, in config order
 * @param policy what to do without a usable address
 * @param ports the group's ephemeral port range, if it has one
 */
public record SourceAddresses(String group, List<InetAddress> addresses, SourceAddressPolicy policy,
                              Optional<PortRange> ports) {

    /** Checks the arguments and copies the list, normalising each address. */
    public SourceAddresses {
        Objects.requireNonNull(group, "group");
        addresses = addresses.stream().map(Addresses::normalize).toList();
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(ports, "ports");
    }

    /** The choice for a group of the config. */
    public static SourceAddresses of(GroupConfig group) {
        return new SourceAddresses(group.name(), group.inetAddresses(), group.sourceAddress(), group.ephemeralPorts());
    }

    /** What to bind before connecting. */
    public sealed interface Choice {
    }

    /**
     * Bind this address (with IP_BIND_ADDRESS_NO_PORT) and take the port from the range, if any.
     *
     * @param source the group's address of the target's family
     * @param ports the group's ephemeral ports
     */
    public record Bind(InetAddress source, Optional<PortRange> ports) implements Choice {
    }

    /**
     * Let the kernel choose ({@code prefer} without a usable address); the port range still
     * applies.
     *
     * @param why what to log, once
     * @param ports the group's ephemeral ports
     */
    public record Kernel(String why, Optional<PortRange> ports) implements Choice {
    }

    /**
     * Do not connect: fail with a temporary error ({@code enforce} without a usable address).
     *
     * @param why the reason, for the log and the protocol's error
     */
    public record Refuse(String why) implements Choice {
    }

    /** The choice for a connection to {@code target}. */
    public Choice choose(InetAddress target) {
        InetAddress to = Addresses.normalize(target);
        Optional<InetAddress> mine = addresses.stream().filter(a -> Addresses.sameFamily(a, to)).findFirst();
        if (mine.isPresent()) {
            return new Bind(mine.get(), ports);
        }
        return unusable("group " + group + " has no " + family(to) + " address");
    }

    /**
     * The choice after binding {@code source} failed (the address left the host: EADDRNOTAVAIL).
     *
     * @param reason what the bind said
     */
    public Choice onBindFailure(InetAddress source, String reason) {
        return unusable("group " + group + " cannot bind " + Addresses.text(source) + ": " + reason);
    }

    private Choice unusable(String why) {
        return policy == SourceAddressPolicy.ENFORCE ? new Refuse(why + " (source-address: enforce)")
                : new Kernel(why + "; the kernel chooses (source-address: prefer)", ports);
    }

    private static String family(InetAddress address) {
        return address instanceof java.net.Inet4Address ? "IPv4" : "IPv6";
    }
}
