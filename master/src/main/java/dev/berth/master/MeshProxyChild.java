package dev.berth.master;

import dev.berth.config.AcceptStrategy;
import dev.berth.config.HostConfig;
import dev.berth.config.MeshConfig;
import dev.berth.config.PoolConfig;
import dev.berth.config.WorkerCount;
import dev.berth.mesh.Mesh;
import dev.berth.mesh.SlotFile;
import dev.berth.posix.Processes;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The master's side of the mesh proxy (DESIGN.md §8): while the config has a {@code mesh}
 * section, exactly one child of role {@code mesh} runs, supervised like a worker (a crash is
 * replaced after the back-off, a stale heartbeat is a hang: SIGQUIT, SIGKILL, replacement). The
 * proxy sits in a pool of its own, {@value #POOL}, which is not one of the config's pools: it
 * gives the proxy a scoreboard slot, a restart policy, and the {@code pool} label of its
 * counters.
 *
 * <p>A replacement starts only once its predecessor has exited, since both would bind the same
 * address. A reload that changes the mesh section drains the running proxy (GOAWAY to its peers,
 * calls in flight finish) and starts one on the new section; one that leaves it alone keeps it;
 * the slot file keeps its size until the master restarts (workers have it mapped), and a mesh
 * section added to a master that started without one waits for that restart too. Owned by the
 * supervisor thread, like everything {@link ProcessSupervisor} holds.
 */
final class MeshProxyChild {

    private static final System.Logger LOG = System.getLogger(MeshProxyChild.class.getName());
    /** The name of the proxy's own pool: in events, status and the {@code pool} label of its counters. */
    static final String POOL = "mesh";
    /** The proxy's supervision: one JVM, 2 s hang timeout, 5 s drain, a small heap and one GC thread. */
    static final PoolConfig POOL_CONFIG = new PoolConfig(POOL, new WorkerCount(1, 1, 1), 1, AcceptStrategy.SHARED, 0,
            Duration.ofSeconds(2), Duration.ofSeconds(5), List.of("-XX:+UseSerialGC", "-Xmx128m"));

    private final ChildStarter starter;
    private final ChildWatch watch;
    private final PoolState pool;
    private Optional<MeshConfig> wanted;
    private Optional<MeshConfig> running = Optional.empty();
    /** Whether the master started with a mesh section, and so made the slot file. */
    private final boolean prepared;
    private boolean stopping;

    MeshProxyChild(ChildStarter starter, ChildWatch watch, HostConfig config, PoolState pool) {
        this.starter = starter;
        this.watch = watch;
        this.pool = pool;
        this.wanted = config.mesh();
        this.prepared = wanted.isPresent();
    }

    /**
     * Makes what the proxy and the processes that use the mesh share, before any child starts:
     * the slot file {@code run/mesh-slots} (every slot free) and the directory {@code run/mesh}
     * where the proxy puts its status socket. Master only, at start.
     *
     * @return the paths to hand to the children's user; empty when the config has no mesh section
     * @throws IOException when the directory cannot be made
     * @throws dev.berth.mesh.MeshException when the slot file cannot be made
     */
    static List<Path> prepare(HostConfig config) throws IOException {
        if (config.mesh().isEmpty()) {
            return List.of();
        }
        MeshConfig mesh = config.mesh().get();
        Path runDir = config.master().runDir();
        Path slots = runDir.resolve(Mesh.SLOT_FILE);
        SlotFile.create(slots, mesh.slots(), mesh.slotSize()).close();
        Path dir = Files.createDirectories(runDir.resolve("mesh"));
        return List.of(slots, dir);
    }

    /** Whether the master started with a mesh section: then the proxy's pool is in its status and metrics. */
    boolean prepared() {
        return prepared;
    }

    /** The proxy's pool: its child, restarts and counters. */
    PoolState pool() {
        return pool;
    }

    /** One pass: reap or signal the proxy, then start one if the config wants one and none is left. */
    void tick(long generation, long now) {
        for (WorkerProcess child : pool.processes()) {
            // a hung proxy is being killed; its replacement starts below once it is gone
            watch.watch(pool, child, now);
        }
        if (stopping || wanted.isEmpty()) {
            drain(now);
        } else if (pool.processes().isEmpty() && pool.restarts().mayStart()) {
            starter.start(pool, new ChildIdentity(Role.MESH, POOL, 0, generation), "the config has a mesh section")
                    .ifPresent(child -> running = wanted);
        }
    }

    /** Whether the proxy the config wants is ready (true without a mesh section). */
    boolean ready() {
        return wanted.isEmpty() || pool.workers().stream().anyMatch(c -> c.phase() == WorkerProcess.Phase.READY
                && running.equals(wanted));
    }

    /** Whether no proxy is left after {@link #stop}. */
    boolean stopped() {
        return pool.processes().isEmpty();
    }

    /** A reload: a changed (or removed) mesh section drains the running proxy; the next ticks start its successor. */
    void reload(HostConfig next, long now) {
        Optional<MeshConfig> before = wanted;
        if (!prepared && next.mesh().isPresent()) {
            LOG.log(Level.WARNING, "reload: a mesh section added to a running master takes effect at its next start");
            return;
        }
        wanted = next.mesh();
        if (before.isPresent() && wanted.isPresent() && (before.get().slots() != wanted.get().slots()
                || before.get().slotSize() != wanted.get().slotSize())) {
            LOG.log(Level.WARNING, "reload: mesh slots and slot-size take effect at the next start of the master");
        }
        if (!Objects.equals(running, wanted)) {
            drain(now);
        }
    }

    /** Drains the proxy; none is started after this. */
    void stop(long now) {
        stopping = true;
        drain(now);
    }

    /** Kills the proxy at once. */
    void kill(long now) {
        stopping = true;
        pool.processes().forEach(child -> {
            child.phase(WorkerProcess.Phase.KILLING, now);
            Processes.signal(child.pid(), Processes.SIGKILL);
        });
    }

    private void drain(long now) {
        for (WorkerProcess child : pool.processes()) {
            if (child.serving()) {
                LOG.log(Level.INFO, child + " draining: " + (stopping ? "the master stops"
                        : wanted.isEmpty() ? "the mesh section is gone" : "the mesh section changed"));
                child.drain(POOL_CONFIG.drainTimeout().toMillis(), now);
            }
        }
    }
}
