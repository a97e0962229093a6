package dev.berth.mesh;

import dev.berth.config.MeshConfig;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The host's mesh proxy (DESIGN.md §8), as the {@code mesh} child of the master runs it: one event
 * loop for every slot ({@link SlotWatch}), every peer connection and the listener, and a {@link
 * Deadlines} thread. It never runs handler code: calls for this node go to local worker processes
 * through their slots.
 *
 * <p>{@link #start} binds and starts everything or fails; {@link #close} drains (GOAWAY) and stops.
 * Thread-safe.
 */
public final class MeshProxy implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(MeshProxy.class.getName());
    /** How long a bench's stand-in for the proxy spins before it sleeps on the doorbell. */
    static final long SPIN_NANOS = 20_000;
    /**
     * How often the event loop stamps its heartbeats and runs the slot agent's tick: four beats
     * within the master's 2 s hang timeout for the proxy, and two wake-ups a second when idle.
     */
    static final long LOOP_BEAT_MILLIS = SlotAgent.TICK_MILLIS;
    /** How long a starting proxy waits for its peer links before it reads the slots. */
    static final long LINK_SETTLE_NANOS = 2_000_000_000L;

    private final MeshConfig config;
    private final String node;
    private final SlotFile file;
    private final MultiThreadIoEventLoopGroup loops;
    private final Deadlines deadlines;
    private final Membership membership;
    private final Links links;
    private final Map<String, GroupRouter> routers = new LinkedHashMap<>();
    private final MeshCounters counters;
    private final Resolver resolver;
    private final ProxyCore core;
    private final LocalServe local;
    private final MeshServer server;
    private final SlotWatch watch;
    private final SlotAgent agent;
    private final long epoch;
    /** Whether DNS membership has answered once (set on the resolving thread). */
    private volatile boolean resolved;

    /** Looks a name up: every address it has (DNS membership). May block; runs on a virtual thread. */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String name) throws UnknownHostException;
    }

    private MeshProxy(MeshConfig config, SlotFile file, ProxyHooks hooks, Resolver resolver, LongSupplier nanos)
            throws InterruptedException {
        this.config = config;
        this.node = nodeName(config);
        this.file = file;
        this.resolver = resolver;
        this.counters = new MeshCounters(hooks.counters());
        this.watch = new SlotWatch(file);
        this.loops = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory(0, watch));
        this.deadlines = new Deadlines("berth-mesh-deadlines", nanos);
        this.membership = new Membership(node);
        this.links = new Links(membership, loops, new PeerLink.Options(node, config.connections(),
                config.pingInterval().toNanos(), config.pingFailures(), hooks.dialer()), nanos);
        Random random = new Random();
        config.groups().forEach((name, group) -> routers.put(name, new GroupRouter(group, membership, nanos, random)));
        ReplyWriter writer = new ReplyWriter(file, this::soon, nanos, config.awake().toNanos());
        this.local = new LocalServe(file, writer, node, nanos);
        this.core = new ProxyCore(node, new ProxyCore.Parts(routers, local, links, writer, deadlines), nanos, counters);
        try {
            this.server = new MeshServer(config.listen().toSocketAddress(), loops, node, core::serveRemote, nanos);
        } catch (InterruptedException | RuntimeException e) {
            // nothing else started yet: undo the threads so that a failed start leaves nothing behind
            deadlines.close();
            loops.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
            watch.close();
            throw e;
        }
        this.epoch = file.attachProxy(ProcessHandle.current().pid());
        this.agent = new SlotAgent(file, core, local, writer, now -> hooks.heartbeat().beat(ProxyHooks.AGENT_BEAT, now));
        loops.scheduleAtFixedRate(() -> {
            long now = nanos.getAsLong() / 1_000_000;
            hooks.heartbeat().beat(ProxyHooks.LOOP_BEAT, now);
            watch.beat(now);
        }, 0, LOOP_BEAT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts a proxy on an existing slot file, on its own: no counters, no heartbeat, direct
     * connections.
     *
     * @throws MeshException when the listener cannot be bound
     */
    public static MeshProxy start(MeshConfig config, SlotFile file) {
        return start(config, file, ProxyHooks.none());
    }

    /**
     * Starts a proxy on an existing slot file, counting and beating through {@code hooks}.
     *
     * @throws MeshException when the listener cannot be bound
     */
    public static MeshProxy start(MeshConfig config, SlotFile file, ProxyHooks hooks) {
        return start(config, file, hooks, InetAddress::getAllByName);
    }

    static MeshProxy start(MeshConfig config, SlotFile file, ProxyHooks hooks, Resolver resolver) {
        try {
            MeshProxy proxy = new MeshProxy(config, file, hooks, resolver, System::nanoTime);
            try {
                proxy.members();
                // calls already waiting in the slots (a restarted proxy's) are read once the links
                // had their chance: read at once, they would all fail for want of a link
                proxy.awaitLinks(LINK_SETTLE_NANOS);
                proxy.watch.start(proxy.loops.next(), proxy.agent);
            } catch (RuntimeException e) {
                proxy.close();
                throw e;
            }
            LOG.log(System.Logger.Level.INFO, "mesh node " + proxy.node + " listening on " + proxy.server.address()
                    + ", " + file.capacity() + " slots, epoch " + proxy.epoch);
            return proxy;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MeshException("interrupted while starting the mesh proxy", e);
        } catch (RuntimeException e) {
            throw new MeshException("cannot start the mesh proxy on " + config.listen() + ": " + e.getMessage(), e);
        }
    }

    /** This node's name: {@code mesh.node}, or the host name. */
    public String node() {
        return node;
    }

    /** The proxy listener's bound address. */
    public InetSocketAddress address() {
        return server.address();
    }

    /** A snapshot for {@code berth mesh status} and the master's status: a JSON-ready map. */
    public Map<String, Object> status() {
        return ProxyStatus.of(this);
    }

    /** Sends GOAWAY on every inbound connection: peers stop sending new calls here (stop, reload). */
    public void drain() {
        server.drain();
    }

    /**
     * Waits until no call is in flight (from this host's processes, or from other nodes to this
     * one's workers), for at most {@code millis}. Blocks the calling thread, polling every 10 ms.
     *
     * @return whether it became idle in time
     */
    public boolean awaitIdle(long millis) {
        long until = System.nanoTime() + millis * 1_000_000;
        while (core.inFlight() + local.waiting() > 0) {
            if (System.nanoTime() - until > 0) {
                return false;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
        }
        return true;
    }

    @Override
    public void close() {
        server.close();
        watch.stop();
        links.close();
        deadlines.close();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        watch.close();
    }

    MeshConfig config() {
        return config;
    }

    SlotFile file() {
        return file;
    }

    Membership membership() {
        return membership;
    }

    Links links() {
        return links;
    }

    Map<String, GroupRouter> routers() {
        return routers;
    }

    MeshCounters counters() {
        return counters;
    }

    ProxyCore core() {
        return core;
    }

    MeshServer server() {
        return server;
    }

    long epoch() {
        return epoch;
    }

    /** Runs a task on the event loop about a millisecond from now; none once the loop is closing. */
    private void soon(Runnable task) {
        try {
            loops.schedule(task, 1, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the proxy is closing: the replies that wait for room go with it
        }
    }

    private void members() {
        switch (config.members()) {
            case MeshConfig.Members.Listed listed -> listed.members().stream().filter(m -> !m.name().equals(node))
                    .forEach(m -> links.add(InetSocketAddress.createUnresolved(m.host(), m.port()), m.name()));
            case MeshConfig.Members.Dns dns -> loops.scheduleAtFixedRate(() -> Thread.ofVirtual().start(() -> resolve(dns)),
                    0, dns.every().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Blocks the starting thread until every peer link is up (after the first DNS answer, with DNS
     * membership), or {@code nanos} have passed (a peer that is down), polling every 10 ms.
     */
    private void awaitLinks(long nanos) {
        long until = System.nanoTime() + nanos;
        while (!linked() && System.nanoTime() - until < 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
        }
    }

    private boolean linked() {
        boolean known = !(config.members() instanceof MeshConfig.Members.Dns) || resolved;
        return known && links.all().stream().allMatch(PeerLink::up);
    }

    /** One DNS look-up: a link to every address, none to addresses that went away. */
    private void resolve(MeshConfig.Members.Dns dns) {
        try {
            Set<InetSocketAddress> found = new HashSet<>();
            for (InetAddress a : resolver.resolve(dns.name())) {
                found.add(new InetSocketAddress(a, dns.port()));
            }
            found.forEach(a -> links.add(a, ""));
            links.retain(found);
            resolved = true;
        } catch (UnknownHostException e) {
            LOG.log(System.Logger.Level.WARNING, "mesh members: " + dns.name() + " does not resolve: " + e.getMessage());
        }
    }

    private static String nodeName(MeshConfig config) {
        return config.node().orElseGet(() -> {
            String host = System.getenv("HOSTNAME");
            if (host != null && !host.isBlank()) {
                return host;
            }
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                return "localhost";
            }
        });
    }
}
