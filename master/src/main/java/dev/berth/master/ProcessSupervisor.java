package dev.berth.master;

import dev.berth.config.HostConfig;
import dev.berth.config.PoolConfig;
import dev.berth.posix.Processes;
import dev.berth.scoreboard.Scoreboard;
import java.lang.System.Logger.Level;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Keeps every pool at its size through crashes, hangs, recycling and reloads. All state here (the
 * config, the generation, the pools and their children) is owned by the supervisor thread: {@link
 * #tick}, {@link #reload}, {@link #stop}, {@link #kill} and the callbacks of {@link #channels()}
 * run on it, fed by the master's inbox ({@link MasterLoop}). The only wait is starting a child
 * ({@link ChildStarter}: a fork and exec, milliseconds); signals are one kill(2) each, and a drain
 * is one control message.
 *
 * <p>Per tick, for each worker and dispatcher, {@link ChildWatch} reaps it if it exited (a crash is
 * replaced after the pool's back-off) and kills it if it overstayed its phase; a hung one is
 * replaced here at once. Per pool: follow its sizer; start a replacement when a worker has taken
 * {@code max-requests} connections, and drain that worker once the replacement is ready; start
 * workers up to its size and, for {@code accept: handoff}, one dispatcher of the current
 * generation; once the current generation is fully ready, drain the older ones.
 *
 * <p>A pool with {@code spare-workers} keeps that many worker JVMs started and attached but not
 * assigned, once none of its workers is starting; a worker it needs (a crash, a hang, a recycle, a
 * reload, growth) is a spare promoted when one is there, which skips the JVM's start
 * (docs/adr/0033). A reload keeps the spares of a pool whose JVM options did not change.
 *
 * <p>The mesh proxy, when the config has a mesh section, is ticked, reloaded and stopped with them
 * ({@link MeshProxyChild}), and counts toward {@link #ready} and {@link #stopped}.
 *
 * <p>Leaving generations (reload, stop, a removed pool) drain their dispatcher first; a handoff
 * pool's workers drain once the dispatcher of their generation has exited, so that what it still
 * held reached a worker (docs/adr/0005).
 */
final class ProcessSupervisor {

    private static final System.Logger LOG = System.getLogger(ProcessSupervisor.class.getName());

    private final ChildStarter starter;
    private final ChildChannels channels;
    private final ChildWatch watch;
    private final DispatchSockets dispatchSockets;
    private final LongSupplier clock;
    private final MasterEvents events;
    private final MeshProxyChild mesh;
    private final Map<String, PoolState> pools = new LinkedHashMap<>();
    private HostConfig config;
    private long generation = 1;
    private long reloadedAt;
    private boolean stopping;

    /**
     * @param children how children are started: the spawner, and the dispatch sockets of handoff pools
     */
    ProcessSupervisor(HostConfig config, Children children, Scoreboard scoreboard, Listeners listeners,
                      LongSupplier clock) {
        this.config = config;
        this.starter = new ChildStarter(children, scoreboard, clock);
        this.dispatchSockets = children.dispatchSockets();
        this.channels = new ChildChannels(starter, new Assignments(listeners, children.dispatchSockets(),
                children.tenancy()), this::config, this::ready);
        this.watch = new ChildWatch(starter, channels);
        this.mesh = new MeshProxyChild(starter, watch, config, new PoolState(MeshProxyChild.POOL_CONFIG, clock));
        this.clock = clock;
        this.events = children.events();
        config.instances().forEach(p -> pools.put(p.name(), new PoolState(p, clock)));
        topology();
    }

    HostConfig config() {
        return config;
    }

    long generation() {
        return generation;
    }

    Map<String, PoolState> pools() {
        return pools;
    }

    /** The children's counters per pool, reaped ones included. */
    java.util.List<MasterSnapshot.CounterTotal> counters() {
        return starter.totals().totals(poolsAndMesh());
    }

    /** Per pool, counter increments lost for lack of scoreboard room. */
    Map<String, Long> countersOverflowed() {
        return starter.totals().overflowed(poolsAndMesh());
    }

    /** The config's pools, and the mesh proxy's own when the master started with a mesh section (status lists it last). */
    List<PoolState> poolsAndMesh() {
        List<PoolState> all = new java.util.ArrayList<>(pools.values());
        if (mesh.prepared()) {
            all.add(mesh.pool());
        }
        return all;
    }

    /** Where its events go. */
    MasterEvents events() {
        return events;
    }

    /** What the {@link ControlServer} tells, about the children's control connections. */
    ControlServer.Events channels() {
        return channels;
    }

    /**
     * How the supervisor starts children.
     *
     * @param spawner starts the JVMs
     * @param dispatchSockets the dispatch sockets of handoff pools, which the supervisor opens for
     *     each generation and closes once nothing of it is left
     * @param events where starts, restarts (with their cause), resizes and reloads are reported
     * @param tenancy the address claims a classifying dispatcher is sent after its assignment
     */
    record Children(Spawner spawner, DispatchSockets dispatchSockets, MasterEvents events,
                    java.util.function.Function<HostConfig, dev.berth.control.ControlMessage.Tenancy> tenancy) {

        /** Children whose events are only logged, without tenant groups. */
        Children(Spawner spawner, DispatchSockets dispatchSockets) {
            this(spawner, dispatchSockets, MasterEvents.loggingOnly(),
                    c -> new dev.berth.control.ControlMessage.Tenancy(List.of(), Map.of()));
        }
    }

    /** Runs {@code wake} (on any thread) whenever a child's process ends. */
    void onChildExit(Runnable wake) {
        starter.onExit(wake);
    }

    /**
     * Whether nothing is under way that a tick must move on: every child of the current generation
     * and ready, every used pool at its size with its dispatcher, no recycle, no stop.
     */
    boolean settled() {
        if (stopping) {
            return false;
        }
        for (PoolState pool : pools.values()) {
            if (pool.removed() || pool.recycling() || pool.wantsWorkers() && wantsSpare(pool)) {
                return false;
            }
            for (WorkerProcess child : pool.processes()) {
                if (child.phase() != WorkerProcess.Phase.SPARE
                        && (child.phase() != WorkerProcess.Phase.READY || child.generation() != generation)) {
                    return false;
                }
            }
            if (used(pool) && (pool.serving(generation).size() < pool.sizer().target()
                    || pool.handoff() && !pool.dispatcherServing(generation))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether every pool has its size in ready workers of the current generation, and a ready
     * dispatcher if it hands off.
     */
    boolean ready() {
        return pools.values().stream().filter(p -> !p.removed() && used(p)).allMatch(this::generationReady)
                && mesh.ready();
    }

    /**
     * Whether the current generation of a pool serves: its workers (if it runs any) at its size,
     * its own dispatcher (if any) ready, and for a tenant group's instance the dispatcher of its
     * pool that feeds it.
     */
    private boolean generationReady(PoolState pool) {
        PoolState home = home(pool);
        return (!pool.wantsWorkers() || pool.ready(generation) >= pool.sizer().target())
                && pool.dispatcherReady(generation) && (home == pool || home == null || home.dispatcherReady(generation));
    }

    /** The pool whose dispatcher feeds this pool's workers: itself, or for {@code POOL@GROUP} the pool. */
    private PoolState home(PoolState pool) {
        return pools.get(pool.config().base());
    }

    /** What each pool runs under the current config ({@link PoolState#topology}). */
    private void topology() {
        for (PoolState pool : pools.values()) {
            String name = pool.config().name();
            boolean workers = !config.servicesOf(name).isEmpty();
            boolean grouped = pool.config().group().isEmpty() && !config.groupedServicesOf(name).isEmpty();
            pool.topology(workers, grouped || (pool.handoff() && workers && pool.config().group().isEmpty()));
        }
    }

    /**
     * Whether {@code pid} is a child started and not attached yet: the only processes whose control
     * connection is admitted. Thread-safe: the control socket's admission thread calls it.
     */
    boolean awaitsConnection(long pid) {
        return starter.awaits(pid);
    }

    /**
     * Why a pool cannot start at all: none of its children has been ready since the master
     * started, and they died often enough for the pool to count as crash-looping (docs/adr/0004).
     * The master gives up on that before it was ever ready (docs/adr/0009); later, a crash loop only
     * throttles the pool.
     *
     * @return the reason, naming the pool and how its last child ended; empty while every pool may
     *     still come up
     */
    Optional<String> cannotStart() {
        for (PoolState pool : pools.values()) {
            if (!pool.removed() && used(pool) && !pool.everReady() && pool.restarts().throttled()) {
                return Optional.of("pool " + pool.config().name() + " cannot start: its workers died "
                        + pool.restarts().total() + " times and none became ready; the last: " + pool.lastFailure());
            }
        }
        return Optional.empty();
    }

    /**
     * Whether no change of generation is under way, so that a reload may start the next one and
     * at most two generations are ever alive: nothing older than the current generation is left,
     * and the current one serves in every pool (at least one ready worker; its replacements may
     * still be starting); or it has not become ready within a start timeout of the last reload (a
     * reload must be able to replace a generation that cannot start). A generation whose workers
     * were all killed is not replaced while its replacements start: the next one would start no
     * sooner, and would make them drain as they become ready (the soak of issue 11).
     */
    boolean settled(long now) {
        boolean older = pools.values().stream().anyMatch(p -> p.processes().stream().anyMatch(c -> c.generation() < generation));
        boolean empty = pools.values().stream().anyMatch(p -> !p.removed() && used(p) && p.serving(generation).isEmpty());
        return (!older && !empty) || (!ready() && now - reloadedAt > ChildWatch.START_TIMEOUT_MS);
    }

    /** Whether every worker and dispatcher has exited after {@link #stop}. */
    boolean stopped() {
        return stopping && pools.values().stream().allMatch(p -> p.processes().isEmpty()) && mesh.stopped();
    }

    /** One pass over every worker, dispatcher and pool. */
    /** When the next tick must come at the latest to judge a hang on time (ms; see {@link ChildWatch#nextJudgement}). */
    long nextJudgement() {
        return watch.nextJudgement();
    }

    void tick() {
        long now = clock.getAsLong();
        watch.tick(now);
        for (PoolState pool : List.copyOf(pools.values())) {
            for (WorkerProcess child : pool.processes()) {
                if (watch.watch(pool, child, now)) {
                    replaceHung(pool, child);
                }
            }
            if (!stopping && !pool.removed() && used(pool)) {
                if (pool.wantsWorkers()) {
                    resize(pool, now);
                    recycle(pool);
                }
                fill(pool);
                spares(pool, now);
                retireOlderGenerations(pool, now);
            } else {
                retire(pool, now, child -> true);
            }
            if (pool.removed() && pool.processes().isEmpty()) {
                pools.remove(pool.config().name());
            }
        }
        mesh.tick(generation, now);
        dispatchSockets.retain(liveDispatchSockets());
    }

    /** Pools and generations that still have a child, or will start a dispatcher. */
    private Set<DispatchSockets.Key> liveDispatchSockets() {
        Set<DispatchSockets.Key> live = new HashSet<>();
        for (PoolState pool : pools.values()) {
            String name = pool.config().name();
            pool.processes().forEach(c -> live.add(new DispatchSockets.Key(name, c.generation())));
            if (pool.handoff() && !stopping && !pool.removed()) {
                live.add(new DispatchSockets.Key(name, generation));
            }
        }
        return live;
    }

    private boolean used(PoolState pool) {
        return pool.wantsWorkers() || pool.dispatches();
    }

    private void replaceHung(PoolState pool, WorkerProcess worker) {
        if (!stopping && !pool.removed() && worker.generation() == generation) {
            String why = "replacing hung " + worker;
            if (worker.role() == Role.WORKER) {
                startWorker(pool, worker.id(), why);
            } else {
                spawn(pool, worker.role(), worker.id(), why);
            }
        }
    }

    private void recycle(PoolState pool) {
        if (pool.recycling()) {
            return;
        }
        for (WorkerProcess worker : pool.serving(generation)) {
            if (worker.recycleDue()) {
                events.on(new MasterEvent.Restart(MasterEvent.Child.of(worker), RestartCause.RECYCLE,
                        "took " + worker.slot().accepted() + " connections; recycling it, replacement first"));
                worker.replacementStarted(true);
                startWorker(pool, worker.id(), "replacing recycled " + worker).ifPresent(r -> r.replaces(worker));
                return;
            }
        }
    }

    /** Follows the pool's sizer: records its decision and drains one extra worker per tick. */
    private void resize(PoolState pool, long now) {
        int before = pool.sizer().target();
        int target = pool.sizer().target(pool.load(generation));
        if (target != before) {
            events.on(new MasterEvent.Resized(pool.config().name(), before, target, pool.sizer().reason()));
        }
        List<WorkerProcess> serving = pool.serving(generation);
        if (serving.size() > target && !pool.recycling()) {
            serving.stream().filter(w -> w.phase() == WorkerProcess.Phase.READY)
                    .max(java.util.Comparator.comparingInt(WorkerProcess::id))
                    .ifPresent(w -> {
                        events.on(new MasterEvent.Restart(MasterEvent.Child.of(w), RestartCause.SCALE,
                                "draining: the pool shrinks to " + target));
                        w.drain(pool.config().drainTimeout().toMillis(), now);
                    });
        }
    }

    private void fill(PoolState pool) {
        if (pool.dispatches() && !pool.dispatcherServing(generation) && pool.restarts().mayStart()) {
            spawn(pool, Role.DISPATCHER, 0, "the pool hands off and has no dispatcher");
        }
        int size = pool.wantsWorkers() ? pool.sizer().target() : 0;
        while (pool.serving(generation).size() < size && pool.restarts().mayStart()) {
            if (startWorker(pool, pool.freeId(generation), "pool below its size").isEmpty()) {
                return;
            }
        }
    }

    /**
     * Keeps the pool's spares at its {@code spare-workers} (none if it runs no workers): starts
     * one once no worker of the pool is starting, and retires those beyond the count (a reload
     * lowered it).
     */
    private void spares(PoolState pool, long now) {
        List<WorkerProcess> spares = pool.spares();
        int wanted = pool.wantsWorkers() ? pool.config().spareWorkers() : 0;
        for (WorkerProcess extra : spares.subList(Math.min(wanted, spares.size()), spares.size())) {
            retireSpare(extra, now, "the pool keeps " + wanted + " spare(s)");
        }
        if (spares.size() < wanted && !pool.starting() && pool.restarts().mayStart()) {
            starter.startSpare(pool, generation);
        }
    }

    /** Whether the pool has fewer spares than its {@code spare-workers}. */
    private static boolean wantsSpare(PoolState pool) {
        return pool.spares().size() < pool.config().spareWorkers();
    }

    /**
     * Starts the worker {@code id} of the current generation: promotes a spare when the pool has
     * one (an attached one first: it has prepared), else starts a JVM.
     */
    private Optional<WorkerProcess> startWorker(PoolState pool, int id, String why) {
        List<WorkerProcess> spares = pool.spares();
        Optional<WorkerProcess> spare = spares.stream().filter(s -> s.control().isPresent()).findFirst()
                .or(() -> spares.stream().findFirst());
        if (spare.isEmpty()) {
            return spawn(pool, Role.WORKER, id, why);
        }
        starter.promote(pool, spare.get(), new ChildIdentity(Role.WORKER, pool.config().name(), id, generation), why);
        channels.assign(spare.get());
        return spare;
    }

    /**
     * Drains the older generations of a pool once the current one serves; a dispatcher that feeds
     * tenant groups' instances waits until each of them serves too.
     */
    private void retireOlderGenerations(PoolState pool, long now) {
        boolean lanesReady = !pool.dispatches() || pools.values().stream()
                .filter(p -> p != pool && home(p) == pool && !p.removed()).allMatch(this::generationReady);
        if (generationReady(pool) && lanesReady) {
            retire(pool, now, child -> child.generation() < generation);
        }
    }

    /**
     * Drains the serving children that {@code leaving} selects: dispatchers at once; workers once
     * no dispatcher of their generation is left, so that what it held reaches them first.
     */
    private void retire(PoolState pool, long now, Predicate<WorkerProcess> leaving) {
        long drainMs = pool.config().drainTimeout().toMillis();
        for (WorkerProcess child : pool.processes()) {
            PoolState home = home(pool);
            boolean waits = child.role() == Role.WORKER && home != null && home.hasDispatcher(child.generation());
            if (child.phase() == WorkerProcess.Phase.SPARE && leaving.test(child)) {
                retireSpare(child, now, stopping ? "the master stops" : "its pool is gone");
            } else if (child.serving() && leaving.test(child) && !waits) {
                if (stopping) {
                    LOG.log(Level.INFO, child + " retiring: the master stops");
                } else if (child.role() == Role.WORKER) {
                    events.on(new MasterEvent.Restart(MasterEvent.Child.of(child), RestartCause.RELOAD,
                            pool.removed() ? "draining: its pool is gone" : "draining: generation " + generation + " is ready"));
                } else {
                    LOG.log(Level.INFO, child + " retiring: " + (pool.removed() ? "its pool is gone"
                            : "generation " + generation + " is ready"));
                }
                child.drain(drainMs, now);
            }
        }
    }

    /** A spare holds no connection: it is told to go with SIGTERM, and reaped as drained. */
    private static void retireSpare(WorkerProcess spare, long now, String why) {
        LOG.log(Level.INFO, spare + " retiring: " + why);
        spare.phase(WorkerProcess.Phase.DRAINING, now);
        Processes.signal(spare.pid(), Processes.SIGTERM);
    }

    private Optional<WorkerProcess> spawn(PoolState pool, Role role, int id, String why) {
        return starter.start(pool, new ChildIdentity(role, pool.config().name(), id, generation), why);
    }

    /**
     * A child said Ready: it serves from now on, unless the master stops; the worker it was started
     * to replace (recycling) drains.
     */
    private void ready(WorkerProcess worker) {
        if (worker.phase() != WorkerProcess.Phase.STARTING) {
            return;
        }
        long now = clock.getAsLong();
        worker.phase(WorkerProcess.Phase.READY, now);
        PoolState pool = pools.get(worker.pool());
        if (pool != null) {
            pool.becameReady();
        }
        events.on(new MasterEvent.Ready(MasterEvent.Child.of(worker), now - worker.spawnedAt()));
        if (stopping) {
            worker.drain(0, now);
            return;
        }
        worker.replaces().filter(old -> old.phase() == WorkerProcess.Phase.READY).ifPresent(old -> {
            LOG.log(Level.INFO, old + " draining: its replacement pid=" + worker.pid() + " is ready");
            old.drain(pools.get(old.pool()).config().drainTimeout().toMillis(), now);
        });
    }

    /**
     * Switches to a validated new config: the caller has bound its listeners already. Workers of
     * the new generation start on the next ticks; older ones drain once the new ones are ready.
     */
    void reload(HostConfig next) {
        config = next;
        generation++;
        reloadedAt = clock.getAsLong();
        long now = clock.getAsLong();
        for (PoolConfig p : next.instances()) {
            PoolState pool = pools.computeIfAbsent(p.name(), n -> new PoolState(p, clock));
            boolean sameJvm = pool.config().jvmOptions().equals(p.jvmOptions());
            pool.spares().forEach(spare -> {
                if (sameJvm) {
                    spare.adopt(generation);
                } else {
                    retireSpare(spare, now, "the pool's jvm-options changed");
                }
            });
            pool.config(p);
        }
        topology();
        for (PoolState pool : pools.values()) {
            if (next.pool(pool.config().name()).isEmpty() || !used(pool)) {
                pool.remove();
                retire(pool, now, child -> true);
            }
        }
        mesh.reload(next, now);
        events.on(new MasterEvent.Reloaded(generation, true, "reloaded " + next.file() + ": generation " + generation));
    }

    /**
     * Drains every dispatcher, and every worker once its dispatcher (if any) has gone; no child is
     * started or replaced after this.
     */
    void stop() {
        stopping = true;
        long now = clock.getAsLong();
        pools.values().forEach(pool -> retire(pool, now, child -> true));
        mesh.stop(now);
    }

    /** Kills every worker, dispatcher and the mesh proxy at once. */
    void kill() {
        stopping = true;
        long now = clock.getAsLong();
        pools.values().forEach(p -> p.processes().forEach(w -> {
            // reaped as killed on purpose, not as a crash to replace
            w.phase(WorkerProcess.Phase.KILLING, now);
            Processes.signal(w.pid(), Processes.SIGKILL);
        }));
        mesh.kill(now);
    }
}
