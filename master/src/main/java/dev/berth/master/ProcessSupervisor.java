package dev.berth.master;

import dev.berth.config.AcceptStrategy;
import dev.berth.config.HostConfig;
import dev.berth.config.PoolConfig;
import dev.berth.config.ServiceConfig;
import dev.berth.control.ControlChannel;
import dev.berth.control.ControlMessage;
import dev.berth.posix.Processes;
import dev.berth.posix.TcpListener;
import dev.berth.scoreboard.Scoreboard;
import dev.berth.scoreboard.WorkerSlot;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * Keeps every pool at its size through crashes, hangs, recycling and reloads. All state here is
 * owned by the supervisor thread: {@link #tick} and the {@link ControlServer.Events} callbacks run
 * on it, fed by the master's inbox.
 *
 * <p>Per tick, for each worker: reap it if it exited (a crash is replaced after the pool's back-off);
 * SIGQUIT then SIGKILL it if a heartbeat is older than the pool's hang timeout, starting its
 * replacement at once; start a replacement when it has taken {@code max-requests} connections, and
 * drain it once the replacement is ready. Per pool: start workers up to its size, and once the
 * current generation is fully ready, drain the older ones.
 */
final class ProcessSupervisor implements ControlServer.Events {

    private static final System.Logger LOG = System.getLogger(ProcessSupervisor.class.getName());
    static final long START_TIMEOUT_MS = 60_000;
    static final long KILL_GRACE_MS = 300;
    static final long DRAIN_GRACE_MS = 5_000;

    private final Spawner spawner;
    private final Scoreboard scoreboard;
    private final Listeners listeners;
    private final LongSupplier clock;
    private final Deque<Integer> freeSlots = new ArrayDeque<>();
    private final Map<String, PoolState> pools = new LinkedHashMap<>();
    private final Map<Long, WorkerProcess> byToken = new LinkedHashMap<>();
    private final Map<ControlChannel, WorkerProcess> byChannel = new LinkedHashMap<>();
    private HostConfig config;
    private long generation = 1;
    private long nextToken = 1;
    private boolean stopping;

    ProcessSupervisor(HostConfig config, Spawner spawner, Scoreboard scoreboard, Listeners listeners,
                      LongSupplier clock) {
        this.config = config;
        this.spawner = spawner;
        this.scoreboard = scoreboard;
        this.listeners = listeners;
        this.clock = clock;
        for (int i = 0; i < scoreboard.capacity(); i++) {
            freeSlots.add(i);
        }
        config.pools().forEach(p -> pools.put(p.name(), new PoolState(p, clock)));
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

    /** Whether every pool has its size in ready workers of the current generation. */
    boolean ready() {
        return pools.values().stream().filter(p -> !p.removed() && used(p))
                .allMatch(p -> p.ready(generation) >= p.sizer().target());
    }

    /** Whether every worker has exited after {@link #stop}. */
    boolean stopped() {
        return stopping && pools.values().stream().allMatch(p -> p.workers().isEmpty());
    }

    /** One pass over every worker and pool. */
    void tick() {
        long now = clock.getAsLong();
        for (PoolState pool : List.copyOf(pools.values())) {
            for (WorkerProcess worker : List.copyOf(pool.workers())) {
                watch(pool, worker, now);
            }
            if (!stopping && !pool.removed() && used(pool)) {
                resize(pool, now);
                recycle(pool);
                fill(pool);
                retireOlderGenerations(pool, now);
            }
            if (pool.removed() && pool.workers().isEmpty()) {
                pools.remove(pool.config().name());
            }
        }
    }

    private boolean used(PoolState pool) {
        return !config.servicesOf(pool.config().name()).isEmpty();
    }

    private void watch(PoolState pool, WorkerProcess worker, long now) {
        if (!worker.process().isAlive()) {
            reap(pool, worker);
            return;
        }
        long hangMs = pool.config().hangTimeout().toMillis();
        switch (worker.phase()) {
            case STARTING -> {
                if (now - worker.spawnedAt() > START_TIMEOUT_MS) {
                    LOG.log(Level.WARNING, worker + " did not become ready in " + START_TIMEOUT_MS + " ms; killing it");
                    Processes.signal(worker.pid(), Processes.SIGKILL);
                }
            }
            case READY -> {
                long beat = worker.slot().oldestBeat();
                if (beat != Long.MAX_VALUE && now - beat > hangMs) {
                    onHang(pool, worker, now, now - beat);
                }
            }
            case KILLING -> {
                if (now - worker.phaseSince() > KILL_GRACE_MS) {
                    Processes.signal(worker.pid(), Processes.SIGKILL);
                }
            }
            case DRAINING -> {
                if (now - worker.phaseSince() > pool.config().drainTimeout().toMillis() + DRAIN_GRACE_MS) {
                    LOG.log(Level.WARNING, worker + " still draining past its drain timeout; killing it");
                    Processes.signal(worker.pid(), Processes.SIGKILL);
                }
            }
        }
    }

    private void onHang(PoolState pool, WorkerProcess worker, long now, long ageMs) {
        LOG.log(Level.WARNING, worker + " hung: heartbeat " + ageMs + " ms old (hang-timeout "
                + pool.config().hangTimeout().toMillis() + " ms); SIGQUIT for a thread dump, then SIGKILL");
        Processes.signal(worker.pid(), Processes.SIGQUIT);
        worker.phase(WorkerProcess.Phase.KILLING, now);
        pool.restarts().crashed();
        if (!stopping && !pool.removed()) {
            spawn(pool, worker.id(), "replacing hung " + worker);
        }
    }

    private void reap(PoolState pool, WorkerProcess worker) {
        int status = worker.process().exitValue();
        pool.workers().remove(worker);
        byToken.remove(worker.token());
        worker.control().ifPresent(c -> {
            byChannel.remove(c);
            c.close();
        });
        worker.slot().release();
        freeSlots.add(worker.slot().index());
        String how = status > 128 ? "killed by signal " + (status - 128) : "exit status " + status;
        switch (worker.phase()) {
            case DRAINING -> LOG.log(Level.INFO, worker + " exited after draining (" + how + ")");
            case KILLING -> LOG.log(Level.INFO, worker + " killed after hanging (" + how + ")");
            case STARTING, READY -> {
                long delay = pool.restarts().crashed();
                LOG.log(Level.WARNING, worker + " died (" + how + "); replacing it in " + delay + " ms"
                        + (pool.restarts().throttled() ? "; pool " + pool.config().name()
                        + " is crash-looping, restarts are throttled" : ""));
            }
        }
    }

    private void recycle(PoolState pool) {
        if (pool.recycling()) {
            return;
        }
        for (WorkerProcess worker : pool.serving(generation)) {
            if (worker.recycleDue()) {
                LOG.log(Level.INFO, worker + " took " + worker.slot().accepted() + " connections; recycling it");
                worker.replacementStarted(true);
                spawn(pool, worker.id(), "replacing recycled " + worker).ifPresent(r -> r.replaces(worker));
                return;
            }
        }
    }

    /** Follows the pool's sizer: records its decision and drains one extra worker per tick. */
    private void resize(PoolState pool, long now) {
        int before = pool.sizer().target();
        int target = pool.sizer().target(pool.load(generation));
        if (target != before) {
            LOG.log(Level.INFO, "pool " + pool.config().name() + ": " + pool.sizer().reason());
        }
        List<WorkerProcess> serving = pool.serving(generation);
        if (serving.size() > target && !pool.recycling()) {
            serving.stream().filter(w -> w.phase() == WorkerProcess.Phase.READY)
                    .max(java.util.Comparator.comparingInt(WorkerProcess::id))
                    .ifPresent(w -> {
                        LOG.log(Level.INFO, w + " draining: the pool shrinks to " + target);
                        w.drain(pool.config().drainTimeout().toMillis(), now);
                    });
        }
    }

    private void fill(PoolState pool) {
        int size = pool.sizer().target();
        while (pool.serving(generation).size() < size && pool.restarts().mayStart()) {
            if (spawn(pool, pool.freeId(generation), "pool below its size").isEmpty()) {
                return;
            }
        }
    }

    private void retireOlderGenerations(PoolState pool, long now) {
        if (pool.ready(generation) < pool.sizer().target()) {
            return;
        }
        for (WorkerProcess worker : pool.workers()) {
            if (worker.generation() < generation && worker.serving()) {
                LOG.log(Level.INFO, worker + " retiring: generation " + generation + " is ready");
                worker.drain(pool.config().drainTimeout().toMillis(), now);
            }
        }
    }

    private Optional<WorkerProcess> spawn(PoolState pool, int id, String why) {
        Integer index = freeSlots.poll();
        if (index == null) {
            LOG.log(Level.ERROR, "no free scoreboard slot for pool " + pool.config().name());
            return Optional.empty();
        }
        long token = nextToken++;
        WorkerSlot slot = scoreboard.slot(index);
        slot.assign(token);
        PoolConfig p = pool.config();
        try {
            Process process = spawner.spawn(p, index, token);
            WorkerProcess worker = new WorkerProcess(p.name(), id, generation, slot, token, process,
                    clock.getAsLong(), acceptLimit(p.maxRequests()));
            pool.workers().add(worker);
            byToken.put(token, worker);
            LOG.log(Level.INFO, worker + " starting (" + why + ")");
            return Optional.of(worker);
        } catch (IOException e) {
            slot.release();
            freeSlots.add(index);
            pool.restarts().crashed();
            LOG.log(Level.ERROR, "cannot start a worker for pool " + p.name() + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    /** Up to 10 % more than max-requests, so that workers started together do not retire together. */
    private static long acceptLimit(long maxRequests) {
        return maxRequests == 0 ? 0 : maxRequests + ThreadLocalRandom.current().nextLong(maxRequests / 10 + 1);
    }

    @Override
    public void onHello(ControlChannel channel, ControlMessage.Hello hello) {
        WorkerProcess worker = byToken.get(hello.token());
        if (worker == null || worker.slot().index() != hello.slot() || channel.peerPid() != worker.pid()) {
            LOG.log(Level.WARNING, "refusing control connection from pid " + channel.peerPid() + ": unknown worker");
            channel.close();
            return;
        }
        worker.control(channel);
        byChannel.put(channel, worker);
        List<ControlMessage.Listener> named = new ArrayList<>();
        List<Integer> fds = new ArrayList<>();
        List<TcpListener> own = new ArrayList<>();
        try {
            for (ServiceConfig service : config.servicesOf(worker.pool())) {
                for (BoundListener l : listeners.of(service.name())) {
                    named.add(new ControlMessage.Listener(service.name(), l.bound()));
                    if (l.accept() == AcceptStrategy.REUSEPORT) {
                        TcpListener socket = Listeners.workerSocket(l);
                        own.add(socket);
                        fds.add(socket.fd());
                    } else {
                        fds.add(l.socket().fd());
                    }
                }
            }
            channel.send(new ControlMessage.Assignment(config.file().toString(), config.text(), worker.pool(),
                    worker.id(), worker.generation(), named), fds.stream().mapToInt(Integer::intValue).toArray());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, worker + " could not be assigned: " + e.getMessage());
            channel.close();
        } finally {
            // a worker's own reuseport sockets must die with it, so the master keeps no copy
            own.forEach(TcpListener::close);
        }
    }

    @Override
    public void onReady(ControlChannel channel) {
        WorkerProcess worker = byChannel.get(channel);
        if (worker == null || worker.phase() != WorkerProcess.Phase.STARTING) {
            return;
        }
        long now = clock.getAsLong();
        worker.phase(WorkerProcess.Phase.READY, now);
        LOG.log(Level.INFO, worker + " ready in " + (now - worker.spawnedAt()) + " ms");
        if (stopping) {
            worker.drain(0, now);
            return;
        }
        worker.replaces().filter(old -> old.phase() == WorkerProcess.Phase.READY).ifPresent(old -> {
            LOG.log(Level.INFO, old + " draining: its replacement " + worker + " is ready");
            old.drain(pools.get(old.pool()).config().drainTimeout().toMillis(), now);
        });
    }

    @Override
    public void onDisconnect(ControlChannel channel) {
        WorkerProcess worker = byChannel.remove(channel);
        if (worker == null) {
            channel.close();
        }
        // a worker that closed its control connection exits; reaping happens when the process ends
    }

    /**
     * Switches to a validated new config: the caller has bound its listeners already. Workers of
     * the new generation start on the next ticks; older ones drain once the new ones are ready.
     */
    void reload(HostConfig next) {
        config = next;
        generation++;
        for (PoolConfig p : next.pools()) {
            pools.computeIfAbsent(p.name(), n -> new PoolState(p, clock)).config(p);
        }
        long now = clock.getAsLong();
        for (PoolState pool : pools.values()) {
            if (next.pool(pool.config().name()).isEmpty() || !used(pool)) {
                pool.remove();
                pool.workers().stream().filter(WorkerProcess::serving)
                        .forEach(w -> w.drain(pool.config().drainTimeout().toMillis(), now));
            }
        }
        LOG.log(Level.INFO, "reloaded " + next.file() + ": generation " + generation);
    }

    /** Drains every worker; no worker is started or replaced after this. */
    void stop() {
        stopping = true;
        long now = clock.getAsLong();
        for (PoolState pool : pools.values()) {
            for (WorkerProcess worker : pool.workers()) {
                if (worker.serving()) {
                    worker.drain(pool.config().drainTimeout().toMillis(), now);
                }
            }
        }
    }

    /** Kills every worker at once. */
    void kill() {
        stopping = true;
        pools.values().forEach(p -> p.workers().forEach(w -> Processes.signal(w.pid(), Processes.SIGKILL)));
    }
}
