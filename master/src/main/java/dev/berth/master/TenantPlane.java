package dev.berth.master;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.config.HostConfig;
import dev.berth.config.PoolConfig;
import dev.berth.control.ControlMessage;
import dev.berth.tenancy.AddressBook;
import dev.berth.tenancy.Addresses;
import dev.berth.tenancy.Claim;
import dev.berth.tenancy.TenancyException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * The master's side of tenant groups (DESIGN.md §7): the users of the groups' workers, the address
 * claims ({@link AddressBook}), and telling the children when they change: every classifying
 * dispatcher gets the claims ({@link ControlMessage.Tenancy}) at its assignment and after each
 * change; after {@code berth addr del} the group's workers end the connections that came to the
 * address ({@link ControlMessage.AddressDrain}). Owned by the supervisor thread.
 */
final class TenantPlane {

    private static final System.Logger LOG = System.getLogger(TenantPlane.class.getName());

    private final ChildUsers users;
    private final AddressBook book;
    private ProcessSupervisor supervisor;

    TenantPlane(ChildUsers users, AddressBook book) {
        this.users = users;
        this.book = book;
    }

    void supervisor(ProcessSupervisor supervisor) {
        this.supervisor = supervisor;
    }

    ChildUsers users() {
        return users;
    }

    AddressBook book() {
        return book;
    }

    /**
     * Takes a new config's groups: users checked and resolved, claims reloaded. The config must
     * be otherwise valid; the supervisor switches to it after this.
     *
     * @throws dev.berth.config.ConfigException for a user unknown on this host
     * @throws MasterException for a user that is root or a group that would run as root
     */
    void accept(HostConfig config) {
        config.requireUsers(Master::knownUser);
        users.update(config);
        book.load(config.groups());
    }

    /** The claims and users' uids a classifying dispatcher needs, under {@code config}. */
    ControlMessage.Tenancy tenancy(HostConfig config) {
        return new ControlMessage.Tenancy(book.table().claims().stream()
                .map(c -> new ControlMessage.AddressClaim(Addresses.text(c.address()), c.group(), c.draining()))
                .toList(), users.groupUids(config));
    }

    /** Ends the drains that are over (their addresses leave their interfaces); tells the dispatchers. */
    void tick() {
        if (!book.due().isEmpty()) {
            announce();
        }
    }

    /**
     * {@code addr-add}: {@code address} ("ADDR/LEN"), {@code device}, {@code group}, {@code persist}.
     *
     * @return what happened, for the operator
     * @throws TenancyException, dev.berth.posix.PosixException or IllegalArgumentException with the reason
     */
    String add(JsonNode request) {
        String text = request.path("address").asText();
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("address " + text + " needs a prefix length, like 10.77.0.9/24");
        }
        InetAddress address = numeric(text.substring(0, slash));
        int prefix = Integer.parseInt(text.substring(slash + 1));
        Claim claim = book.add(address, prefix, request.path("device").asText(), request.path("group").asText(),
                request.path("persist").asBoolean(false));
        announce();
        return Addresses.text(claim.address()) + "/" + prefix + " on " + claim.device() + " belongs to group "
                + claim.group() + (claim.origin() == Claim.Origin.PERSISTED ? " (persisted in the run directory)" : "");
    }

    /**
     * {@code addr-del}: {@code address}. The claim drains for the longest drain-timeout of its
     * group's pools; the group's workers end the connections that came to it.
     *
     * @return what happens next, for the operator
     */
    String remove(JsonNode request) {
        InetAddress address = numeric(request.path("address").asText());
        String group = book.table().claim(address).map(Claim::group)
                .orElseThrow(() -> new TenancyException(Addresses.text(address) + " is not claimed by any group"));
        long drainMs = supervisor.pools().values().stream().map(PoolState::config)
                .filter(p -> p.group().equals(Optional.of(group)))
                .mapToLong(p -> p.drainTimeout().toMillis()).max().orElse(0);
        Claim claim = book.remove(address, drainMs);
        announce();
        ControlMessage.AddressDrain drain = new ControlMessage.AddressDrain(Addresses.text(claim.address()), drainMs);
        for (PoolState pool : supervisor.pools().values()) {
            if (pool.config().group().equals(Optional.of(group))) {
                pool.workers().forEach(w -> send(w, drain));
            }
        }
        return Addresses.text(claim.address()) + " no longer belongs to group " + group + "; its connections drain for "
                + drainMs + " ms, then it leaves its interface";
    }

    /** Sends the claims to every dispatcher that classifies. */
    private void announce() {
        HostConfig config = supervisor.config();
        ControlMessage.Tenancy tenancy = tenancy(config);
        for (PoolState pool : supervisor.pools().values()) {
            if (classifies(config, pool.config())) {
                pool.dispatchers().forEach(d -> send(d, tenancy));
            }
        }
    }

    /** Whether a pool's dispatcher classifies: it is a pool of the file with grouped services. */
    static boolean classifies(HostConfig config, PoolConfig pool) {
        return pool.group().isEmpty() && !config.groupedServicesOf(pool.name()).isEmpty();
    }

    private static void send(WorkerProcess child, ControlMessage message) {
        child.control().ifPresent(c -> {
            try {
                c.send(message);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, child + " did not take " + message.getClass().getSimpleName() + ": " + e.getMessage());
            }
        });
    }

    /** The claims now, for status. */
    List<Claim> claims() {
        return book.table().claims();
    }

    private static InetAddress numeric(String text) {
        try {
            return InetAddress.ofLiteral(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(text + " is not a numeric IP address");
        }
    }
}
