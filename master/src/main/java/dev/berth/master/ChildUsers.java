package dev.berth.master;

import dev.berth.config.GroupConfig;
import dev.berth.config.HostConfig;
import dev.berth.config.PoolConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which account each pool's children run as, when the master is root: {@code master.user} for a
 * pool of the file, the group's own {@code user} (else {@code master.user}) for a tenant group's
 * instance {@code POOL@GROUP} (DESIGN.md §7). A group's workers never run as root: a root master
 * whose group has no user and no {@code master.user} refuses the config. When the master is not
 * root every child runs as the master's own user.
 *
 * <p>Owned by the supervisor thread: {@link #update} at start and at each reload.
 */
final class ChildUsers {

    private static final System.Logger LOG = System.getLogger(ChildUsers.class.getName());

    private final Path passwd;
    private final boolean root;
    private Optional<UnixUser> master = Optional.empty();
    private Map<String, UnixUser> groups = Map.of();

    /**
     * @param passwd the password database ({@code /etc/passwd})
     * @param root whether the master runs as root (else users are ignored)
     */
    ChildUsers(Path passwd, boolean root) {
        this.passwd = passwd;
        this.root = root;
    }

    /**
     * Resolves the users of {@code config}. Nothing changes when it throws. Groups that left the
     * config keep their user, for their children still draining (or still running, when the
     * reload fails later).
     *
     * @throws MasterException when a user is missing from the password database, is root, or a
     *     group would run as root
     */
    void update(HostConfig config) {
        if (!root) {
            if (config.master().user().isPresent() || config.groups().stream().anyMatch(g -> g.user().isPresent())) {
                LOG.log(Level.WARNING, "users in the config are ignored: the master is not root, so every child"
                        + " runs as the master's own user");
            }
            return;
        }
        Optional<UnixUser> nextMaster = config.master().user().map(name -> lookup("master.user", name));
        Map<String, UnixUser> next = new HashMap<>(groups);
        for (GroupConfig group : config.groups()) {
            Optional<UnixUser> user = group.user().map(name -> lookup("groups." + group.name() + ".user", name))
                    .or(() -> nextMaster);
            next.put(group.name(), user.orElseThrow(() -> new MasterException("group " + group.name()
                    + ": its workers never run as root; give the group a user, or set master.user")));
        }
        master = nextMaster;
        groups = Map.copyOf(next);
    }

    /** The account of {@code master.user}, when the master is root and names one. */
    Optional<UnixUser> master() {
        return master;
    }

    /** The account a pool's (or instance's) children run as; empty to stay the master's. */
    Optional<UnixUser> of(PoolConfig pool) {
        return of(pool.name());
    }

    /** The account of the pool or instance called {@code pool}. */
    Optional<UnixUser> of(String pool) {
        int at = pool.indexOf('@');
        return at < 0 ? master : Optional.ofNullable(groups.get(pool.substring(at + 1))).or(() -> master);
    }

    /** Whether some child runs as a user other than {@code master.user}: shared files must let it in. */
    boolean mixed() {
        return groups.values().stream().anyMatch(u -> master.map(m -> m.uid() != u.uid()).orElse(true));
    }

    /** The uid of each group's own user, for classifying loopback peers (ADR 0013). */
    Map<String, Integer> groupUids(HostConfig config) {
        Map<String, Integer> uids = new HashMap<>();
        for (GroupConfig group : config.groups()) {
            group.user().map(name -> lookup("groups." + group.name() + ".user", name, false))
                    .ifPresent(u -> uids.put(group.name(), u.uid()));
        }
        return uids;
    }

    private UnixUser lookup(String key, String name) {
        return lookup(key, name, true);
    }

    private UnixUser lookup(String key, String name, boolean notRoot) {
        UnixUser user;
        try {
            user = UnixUser.lookup(name, passwd)
                    .orElseThrow(() -> new MasterException(key + " " + name + " is not in " + passwd));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + passwd, e);
        }
        if (notRoot && user.uid() == 0) {
            throw new MasterException(key + " " + name + " is root; name an unprivileged user");
        }
        return user;
    }
}
