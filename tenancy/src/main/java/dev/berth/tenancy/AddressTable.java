package dev.berth.tenancy;

import dev.berth.config.GroupConfig;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which tenant group owns which address (DESIGN.md §7): the config's claims and those made at run
 * time. Immutable and thread-safe: every change returns a new table, so a classifying thread reads
 * one consistent table without locks. Lookups are one hash probe.
 */
public final class AddressTable {

    private final Map<InetAddress, Claim> claims;

    private AddressTable(Map<InetAddress, Claim> claims) {
        this.claims = claims;
    }

    /** A table without claims. */
    public static AddressTable empty() {
        return new AddressTable(Map.of());
    }

    /**
     * The config's claims, then {@code kept} (run-time claims that survive a reload) where they do
     * not collide with the config.
     *
     * @param since epoch milliseconds recorded for the config's claims
     */
    public static AddressTable of(List<GroupConfig> groups, Collection<Claim> kept, long since) {
        Map<InetAddress, Claim> claims = new LinkedHashMap<>();
        for (GroupConfig group : groups) {
            for (InetAddress address : group.inetAddresses()) {
                claims.put(Addresses.normalize(address), new Claim(address, group.name(), "", since, Claim.Origin.CONFIG, 0));
            }
        }
        List<String> names = groups.stream().map(GroupConfig::name).toList();
        for (Claim claim : kept) {
            if (names.contains(claim.group())) {
                claims.putIfAbsent(claim.address(), claim);
            }
        }
        return new AddressTable(Map.copyOf(claims));
    }

    /** Exactly these claims (a table the master sent); a later claim on an address replaces an earlier one. */
    public static AddressTable of(Collection<Claim> claims) {
        Map<InetAddress, Claim> all = new LinkedHashMap<>();
        claims.forEach(c -> all.put(c.address(), c));
        return new AddressTable(Map.copyOf(all));
    }

    /** The group that owns {@code address} for new connections; a draining address owns nothing. */
    public Optional<String> owner(InetAddress address) {
        Claim claim = claims.get(Addresses.normalize(address));
        return claim == null || claim.draining() ? Optional.empty() : Optional.of(claim.group());
    }

    /** The claim on {@code address}, draining or not. */
    public Optional<Claim> claim(InetAddress address) {
        return Optional.ofNullable(claims.get(Addresses.normalize(address)));
    }

    /**
     * The table with {@code claim} added. Claiming an address the same group holds again
     * replaces the claim (a draining address comes back).
     *
     * @throws TenancyException when another group holds the address
     */
    public AddressTable with(Claim claim) {
        Claim held = claims.get(claim.address());
        if (held != null && !held.group().equals(claim.group())) {
            throw new TenancyException(Addresses.text(claim.address()) + " belongs to group " + held.group()
                    + "; remove it there first (berth addr del)");
        }
        Map<InetAddress, Claim> next = new LinkedHashMap<>(claims);
        next.put(claim.address(), claim);
        return new AddressTable(Map.copyOf(next));
    }

    /**
     * The table with the claim on {@code address} draining until {@code until}.
     *
     * @throws TenancyException when no group claims the address
     */
    public AddressTable draining(InetAddress address, long until) {
        Claim held = claim(address).orElseThrow(() -> new TenancyException(
                Addresses.text(address) + " is not claimed by any group"));
        return with(held.drainUntil(until));
    }

    /** The table without any claim on {@code address}. */
    public AddressTable without(InetAddress address) {
        Map<InetAddress, Claim> next = new LinkedHashMap<>(claims);
        next.remove(Addresses.normalize(address));
        return new AddressTable(Map.copyOf(next));
    }

    /** Every claim, sorted by group then address text, for status and persistence. */
    public List<Claim> claims() {
        List<Claim> all = new ArrayList<>(claims.values());
        all.sort(java.util.Comparator.comparing(Claim::group).thenComparing(c -> Addresses.text(c.address())));
        return all;
    }
}
