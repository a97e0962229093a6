package dev.berth.tenancy;

import java.net.InetAddress;
import java.util.Objects;

/**
 * A tenant group's claim on one address: connections sent to it belong to the group.
 *
 * @param address the address, normalised ({@link Addresses#normalize})
 * @param group the group that owns it
 * @param device the interface it was added to at run time ({@code berth addr add ... dev IF});
 *     empty for an address the config names
 * @param since when the claim was made, epoch milliseconds
 * @param origin where the claim comes from
 * @param drainingUntil 0 while the claim stands; after {@code berth addr del}, the epoch
 *     milliseconds at which the address leaves its interface. A draining address owns nothing new.
 */
public record Claim(InetAddress address, String group, String device, long since, Origin origin, long drainingUntil) {

    /** Where a claim comes from. */
    public enum Origin {
        /** A group's {@code addresses} in the config file. */
        CONFIG,
        /** {@code berth addr add} while the master runs. */
        RUNTIME,
        /** {@code berth addr add --persist}: kept in the run directory's state file across reloads. */
        PERSISTED
    }

    /** Normalises the address and checks the rest. */
    public Claim {
        address = Addresses.normalize(Objects.requireNonNull(address, "address"));
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(origin, "origin");
    }

    /** Whether the address is leaving: it takes no new connection. */
    public boolean draining() {
        return drainingUntil != 0;
    }

    /** The same claim, leaving its interface at {@code until} (epoch milliseconds). */
    public Claim drainUntil(long until) {
        return new Claim(address, group, device, since, origin, until);
    }
}
