package dev.berth.master;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.config.ConfigException;
import dev.berth.config.ConfigLoader;
import dev.berth.config.HostConfig;
import dev.berth.service.ServiceKinds;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The master's supervisor thread: runs commands from its inbox (control events, CLI requests,
 * signals, a child's exit) and ticks the supervisor, until a stop completes. The tick comes every
 * {@value #TICK_MS} ms while something is under way (a child starting, draining or being killed,
 * a pool below its size, a restart waiting for its back-off), and once everything is settled,
 * when all it does is hold the heartbeats to the hang-timeout, when the first heartbeat would be
 * judged hung ({@link ProcessSupervisor#nextJudgement}) and at least every quarter of the shortest
 * hang-timeout (at most {@value #IDLE_TICK_MS} ms), so that an idle host wakes a few times a second
 * and a hang is still judged on time (docs/adr/0030); a
 * child's exit ticks at once (its process's exit future wakes the loop), so no death waits for a
 * tick. Before the master was first ready, a pool that cannot start at all ({@link
 * ProcessSupervisor#cannotStart}) stops it at once.
 */
final class MasterLoop implements MasterView {

    private static final System.Logger LOG = System.getLogger(MasterLoop.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    static final long TICK_MS = 25;
    static final long IDLE_TICK_MS = 500;
    /** Posted to tick now; never run. */
    private static final Runnable TICK = () -> { };

    private final LinkedBlockingQueue<Runnable> inbox = new LinkedBlockingQueue<>();
    private final ServiceKinds kinds;
    private final Listeners listeners;
    private final LongSupplier clock;
    private final long startedAt;
    private final MigrateRequests migrateRequests = new MigrateRequests();
    private final SystemdNotifier notifier;
    private ProcessSupervisor supervisor;
    private boolean announcedReady;
    private boolean reloading;
    private String admin = "";
    private String gaveUp;
    private TenantPlane tenants;
    /** A validated reload that waits until the previous one has settled; the latest one wins. */
    private HostConfig queued;

    /** @param notifier tells systemd of readiness, reloads and the stop */
    MasterLoop(ServiceKinds kinds, Listeners listeners, LongSupplier clock, SystemdNotifier notifier) {
        this.notifier = notifier;
        this.kinds = kinds;
        this.listeners = listeners;
        this.clock = clock;
        this.startedAt = clock.getAsLong();
    }

    void supervisor(ProcessSupervisor supervisor, TenantPlane tenants) {
        this.supervisor = supervisor;
        this.tenants = tenants;
        tenants.supervisor(supervisor);
        supervisor.onChildExit(this::tickNow);
    }

    /** Makes the supervisor thread tick as soon as it is free; any thread. */
    void tickNow() {
        inbox.add(TICK);
    }

    /** The address the admin plane is bound to, for status; set once before {@link #run}. */
    void admin(String address) {
        this.admin = address;
    }

    @Override
    public CompletableFuture<MasterSnapshot> snapshot() {
        CompletableFuture<MasterSnapshot> reply = new CompletableFuture<>();
        post(() -> reply.complete(new MasterSnapshot(status(), supervisor.counters(), supervisor.countersOverflowed())));
        return reply;
    }

    @Override
    public void subscribe(java.util.function.Consumer<MasterEvent> subscriber) {
        post(() -> supervisor.events().subscribe(subscriber));
    }

    /** Queues a command for the supervisor thread; callable from any thread. */
    void post(Runnable command) {
        inbox.add(command);
    }

    /**
     * Runs until every worker is gone after a stop. Blocks the calling thread, which becomes the
     * supervisor.
     *
     * @return empty after a stop; why it gave up, when a pool could not start at all
     */
    Optional<String> run() throws InterruptedException {
        long nextTick = 0;
        while (!supervisor.stopped()) {
            Runnable command = inbox.poll(Math.max(1, nextTick - clock.getAsLong()), TimeUnit.MILLISECONDS);
            if (command != null && command != TICK) {
                runSafely(command);
                continue;
            }
            runSafely(supervisor::tick);
            runSafely(tenants::tick);
            if (queued != null && supervisor.settled(clock.getAsLong())) {
                HostConfig next = queued;
                queued = null;
                runSafely(() -> apply(next));
            }
            if ((!announcedReady || reloading) && supervisor.ready()) {
                LOG.log(Level.INFO, "ready: every pool has its workers" + (announcedReady ? " (generation "
                        + supervisor.generation() + ")" : ""));
                announcedReady = true;
                reloading = false;
                notifier.ready(summary());
            }
            if (!announcedReady && gaveUp == null) {
                supervisor.cannotStart().ifPresent(this::giveUp);
            }
            long now = clock.getAsLong();
            nextTick = supervisor.settled()
                    ? Math.min(now + idleTick(), Math.max(now + TICK_MS, supervisor.nextJudgement()))
                    : now + TICK_MS;
        }
        return Optional.ofNullable(gaveUp);
    }

    private void giveUp(String reason) {
        gaveUp = reason;
        LOG.log(Level.ERROR, reason + "; stopping");
        stop(true);
    }

    private long idleTick() {
        long shortest = supervisor.config().pools().stream().mapToLong(p -> p.hangTimeout().toMillis()).min()
                .orElse(IDLE_TICK_MS * 4);
        return Math.clamp(shortest / 4, TICK_MS, IDLE_TICK_MS);
    }

    /** A line for systemd's STATUS: generation, pools, ready workers. */
    private String summary() {
        long ready = supervisor.pools().values().stream().mapToLong(p -> p.ready(supervisor.generation())).sum();
        return "generation " + supervisor.generation() + ": " + ready + " workers ready in "
                + supervisor.pools().size() + " pools" + (admin.isEmpty() ? "" : ", admin on http://" + admin + "/");
    }

    private static void runSafely(Runnable command) {
        try {
            command.run();
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "supervisor command failed", e);
        }
    }

    /** Answers one CLI request line; the reply is computed on the supervisor thread. */
    CompletableFuture<String> answer(String requestLine) {
        CompletableFuture<String> reply = new CompletableFuture<>();
        post(() -> reply.complete(handle(requestLine)));
        return reply;
    }

    private String handle(String requestLine) {
        ObjectNode reply = JSON.createObjectNode();
        try {
            JsonNode request = JSON.readTree(requestLine);
            String command = request.path("command").asText();
            switch (command) {
                case "status" -> reply.set("status", JSON.valueToTree(status()));
                case "reload" -> reload();
                case "stop" -> stop(request.path("now").asBoolean(false));
                case "addr-add" -> reply.put("message", tenants.add(request));
                case "addr-del" -> reply.put("message", tenants.remove(request));
                default -> throw new IllegalArgumentException("unknown command '" + command
                        + "'; accepted: status, reload, stop, addr-add, addr-del");
            }
            reply.put("ok", true);
            reply.put("ready", supervisor.ready());
        } catch (Exception e) {
            reply.put("ok", false);
            reply.put("error", e.getMessage());
        }
        return reply.toString();
    }

    Status status() {
        long now = clock.getAsLong();
        return StatusReport.of(supervisor, listeners, now - startedAt, now, admin, tenants.claims());
    }

    /**
     * Re-reads the config file. An invalid file or an address that cannot be bound leaves
     * everything as it was and is reported to the caller and the log. A valid one starts the next
     * generation at once if the previous reload has settled ({@link ProcessSupervisor#settled}),
     * else it is queued and follows as soon as it has (the latest queued config wins), so that
     * reloads faster than workers start never keep more than two generations alive (found by the
     * soak, docs/adr/0012).
     *
     * @throws ConfigException or {@link dev.berth.posix.PosixException} with the reason
     */
    void reload() {
        HostConfig current = supervisor.config();
        HostConfig next;
        notifier.reloading();
        try {
            next = ConfigLoader.load(current.file(), kinds.names());
            kinds.settings(next);
        } catch (ConfigException e) {
            supervisor.events().on(new MasterEvent.Reloaded(supervisor.generation(), false,
                    "reload refused, still running generation " + supervisor.generation() + ": " + e.getMessage()));
            notifier.ready("reload refused, still running generation " + supervisor.generation());
            throw e;
        }
        if (!next.master().equals(current.master())) {
            LOG.log(Level.WARNING, "reload: changes to the master section take effect at the next start");
        }
        if (!supervisor.settled(clock.getAsLong())) {
            if (queued == null) {
                LOG.log(Level.INFO, "reload queued: generation " + supervisor.generation()
                        + " is still taking over; the new config follows once it has");
            }
            queued = next;
            return;
        }
        apply(next);
    }

    private void apply(HostConfig next) {
        try {
            tenants.accept(next);
        } catch (RuntimeException e) {
            supervisor.events().on(new MasterEvent.Reloaded(supervisor.generation(), false,
                    "reload refused, still running generation " + supervisor.generation() + ": " + e.getMessage()));
            notifier.ready("reload refused, still running generation " + supervisor.generation());
            throw e;
        }
        migrateIfReuseport(next);
        List<BoundListener> removed;
        try {
            removed = listeners.reconcile(next);
        } catch (RuntimeException e) {
            notifier.ready("reload refused, still running generation " + supervisor.generation() + ": " + e.getMessage());
            throw e;
        }
        supervisor.reload(next);
        reloading = true;
        removed.forEach(l -> l.socket().close());
    }

    /** Makes sure the kernel migrates reuseport queues when some pool uses reuseport. */
    void migrateIfReuseport(HostConfig config) {
        if (config.pools().stream().anyMatch(p -> p.accept() == dev.berth.config.AcceptStrategy.REUSEPORT)) {
            migrateRequests.ensure();
        }
    }

    /** Graceful (drain) or immediate stop. */
    void stop(boolean now) {
        queued = null;
        notifier.stopping(now ? "stopping now" : "draining every worker");
        if (now) {
            LOG.log(Level.INFO, "stopping now");
            supervisor.kill();
        } else {
            LOG.log(Level.INFO, "stopping: draining every worker");
            supervisor.stop();
        }
        // new connections are refused from now on, as after nginx's graceful quit; workers close
        // their copies as their acceptors stop, and serve the connections they took to the end
        listeners.close();
    }
}
