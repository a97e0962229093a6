package dev.berth.tenancy;

import dev.berth.config.GroupConfig;
import dev.berth.posix.InterfaceAddress;
import dev.berth.posix.PosixException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The master's authority on who owns which address (DESIGN.md §7, docs/adr/0015): the config's
 * claims, those {@code berth addr add} makes, and the state file that {@code --persist} writes so
 * that a claim survives a reload (and a restart) that does not mention it. {@code berth addr add}
 * adds the interface address and the claim together; {@code berth addr del} makes the claim
 * draining at once (the address takes no new connection) and takes the address off its interface
 * when the drain is over ({@link #due}), so that the goodbyes of its connections still leave.
 *
 * <p>Owned by the master's supervisor thread; the netlink calls block for milliseconds.
 */
public final class AddressBook {

    private static final System.Logger LOG = System.getLogger(AddressBook.class.getName());

    private final Path stateFile;
    private final Interfaces interfaces;
    private final LongSupplier wallClock;
    private List<GroupConfig> groups = List.of();
    private AddressTable table = AddressTable.empty();

    /**
     * @param stateFile where persisted claims live ({@code run/addresses})
     * @param wallClock epoch milliseconds, for "since" and drain deadlines
     */
    public AddressBook(Path stateFile, Interfaces interfaces, LongSupplier wallClock) {
        this.stateFile = stateFile;
        this.interfaces = interfaces;
        this.wallClock = wallClock;
    }

    /** The claims now. */
    public AddressTable table() {
        return table;
    }

    /**
     * The claims of a (re)loaded config: its groups' addresses, then the persisted claims of groups
     * it still has, then the draining claims of the old table (their drains finish). Run-time
     * claims that were not persisted are dropped.
     */
    public void load(List<GroupConfig> next) {
        List<Claim> kept = new ArrayList<>(persisted());
        table.claims().stream().filter(Claim::draining).forEach(kept::add);
        groups = List.copyOf(next);
        table = AddressTable.of(groups, kept, wallClock.getAsLong());
    }

    /**
     * Adds {@code address/prefix} to {@code device} and claims it for {@code group}. An address
     * already on the interface is claimed as it is. Re-adding a draining address of the same group
     * cancels its drain.
     *
     * @param persist whether the claim survives reloads and restarts (written to the state file)
     * @return the new claim
     * @throws TenancyException when the group is not in the config or another group holds the address
     * @throws PosixException when the kernel refuses (no such device, no CAP_NET_ADMIN)
     */
    public Claim add(InetAddress address, int prefix, String device, String group, boolean persist) {
        if (groups.stream().noneMatch(g -> g.name().equals(group))) {
            throw new TenancyException("no group " + group + " in the config; groups: "
                    + groups.stream().map(GroupConfig::name).toList());
        }
        Claim claim = new Claim(address, group, device, wallClock.getAsLong(),
                persist ? Claim.Origin.PERSISTED : Claim.Origin.RUNTIME, 0);
        AddressTable next = table.with(claim);
        if (interfaces.find(claim.address()).isEmpty()) {
            interfaces.add(new InterfaceAddress(claim.address(), prefix, interfaces.index(device)));
        }
        table = next;
        if (persist) {
            save();
        }
        LOG.log(Level.INFO, "address " + Addresses.text(claim.address()) + "/" + prefix + " on " + device
                + " claimed by group " + group + (persist ? " (persisted)" : ""));
        return claim;
    }

    /**
     * Starts removing an address: the claim drains until {@code drainMillis} from now, then {@link
     * #due} takes the address off its interface. A persisted claim leaves the state file at once.
     *
     * @return the draining claim
     * @throws TenancyException when no group claims the address
     */
    public Claim remove(InetAddress address, long drainMillis) {
        long until = wallClock.getAsLong() + Math.max(1, drainMillis);
        table = table.draining(address, until);
        Claim claim = table.claim(address).orElseThrow();
        if (claim.origin() == Claim.Origin.PERSISTED) {
            save();
        }
        LOG.log(Level.INFO, "address " + Addresses.text(claim.address()) + " of group " + claim.group()
                + " draining for " + drainMillis + " ms, then it leaves its interface");
        return claim;
    }

    /**
     * Ends the drains that are over: each address leaves its interface (if it is still on one) and
     * its claim goes. A failure to remove is logged; the claim goes anyway.
     *
     * @return the claims that ended
     */
    public List<Claim> due() {
        long now = wallClock.getAsLong();
        List<Claim> ended = table.claims().stream().filter(c -> c.draining() && c.drainingUntil() <= now).toList();
        for (Claim claim : ended) {
            try {
                Optional<InterfaceAddress> on = interfaces.find(claim.address());
                if (on.isPresent()) {
                    interfaces.remove(on.get());
                }
                LOG.log(Level.INFO, "address " + Addresses.text(claim.address()) + " removed (group " + claim.group() + ")");
            } catch (PosixException e) {
                LOG.log(Level.WARNING, "removing address " + Addresses.text(claim.address()) + " failed: " + e.getMessage());
            }
            table = table.without(claim.address());
        }
        return ended;
    }

    /** The persisted claims in the state file; none when it is missing. Lines: address group device since. */
    List<Claim> persisted() {
        if (!Files.exists(stateFile)) {
            return List.of();
        }
        List<Claim> claims = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(stateFile)) {
                String[] f = line.strip().split(" ");
                if (f.length == 4 && !line.startsWith("#")) {
                    claims.add(new Claim(InetAddress.ofLiteral(f[0]), f[1], f[2], Long.parseLong(f[3]),
                            Claim.Origin.PERSISTED, 0));
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            LOG.log(Level.WARNING, "ignoring the unreadable state file " + stateFile + ": " + e.getMessage());
            return List.of();
        }
        return claims;
    }

    private void save() {
        StringBuilder text = new StringBuilder("# berth addr add --persist: address group device since-epoch-ms\n");
        table.claims().stream().filter(c -> c.origin() == Claim.Origin.PERSISTED && !c.draining()).forEach(c ->
                text.append(Addresses.text(c.address())).append(' ').append(c.group()).append(' ')
                        .append(c.device()).append(' ').append(c.since()).append('\n'));
        try {
            Path temp = stateFile.resolveSibling(stateFile.getFileName() + ".tmp");
            Files.writeString(temp, text);
            Files.move(temp, stateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + stateFile, e);
        }
    }
}
