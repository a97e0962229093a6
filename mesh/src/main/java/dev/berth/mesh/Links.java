package dev.berth.mesh;

import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Every {@link PeerLink} of the proxy, by address and by the node name each peer said: the
 * {@link Transport} that the {@link ProxyCore} sends through. Links report their availability into
 * the {@link Membership}. A link that turns out to reach this very node (DNS lists every pod,
 * this one too) is closed. Thread-safe.
 */
final class Links implements Transport, PeerLink.Listener {

    private static final System.Logger LOG = System.getLogger(Links.class.getName());

    private final Membership membership;
    private final EventLoopGroup loops;
    private final PeerLink.Options options;
    private final LongSupplier nanos;
    private final Map<InetSocketAddress, PeerLink> byAddress = new ConcurrentHashMap<>();
    private final Map<String, PeerLink> byName = new ConcurrentHashMap<>();
    private final Set<InetSocketAddress> selves = ConcurrentHashMap.newKeySet();

    Links(Membership membership, EventLoopGroup loops, PeerLink.Options options, LongSupplier nanos) {
        this.membership = membership;
        this.loops = loops;
        this.options = options;
        this.nanos = nanos;
    }

    /**
     * Keeps a link to {@code address}.
     *
     * @param name the node expected there (a listed member), empty when DNS found it
     */
    void add(InetSocketAddress address, String name) {
        if (selves.contains(address)) {
            return;
        }
        byAddress.computeIfAbsent(address, a -> {
            PeerLink link = new PeerLink(a, loops.next(), options, nanos, this);
            if (!name.isEmpty()) {
                byName.put(name, link);
                membership.node(name);
            }
            link.start();
            return link;
        });
    }

    /** Closes the links to addresses no longer in {@code keep} (a DNS answer without them). */
    void retain(Set<InetSocketAddress> keep) {
        byAddress.entrySet().removeIf(e -> {
            if (keep.contains(e.getKey())) {
                return false;
            }
            PeerLink link = e.getValue();
            link.close();
            byName.remove(link.node(), link);
            if (!link.node().isEmpty()) {
                membership.node(link.node()).up(false);
            }
            return true;
        });
    }

    Collection<PeerLink> all() {
        return byAddress.values();
    }

    @Override
    public Runnable send(String node, Exchange.Request request, Consumer<Outcome> done) {
        PeerLink link = byName.get(node);
        if (link == null) {
            done.accept(new Outcome.Unavailable(node, "no link to node " + node));
            return () -> { };
        }
        return link.send(request, done);
    }

    @Override
    public void named(PeerLink link, String node) {
        if (node.equals(membership.self())) {
            LOG.log(System.Logger.Level.INFO, "mesh address " + link.address() + " is this node; not linking to it");
            selves.add(link.address());
            byAddress.remove(link.address(), link);
            link.close();
            return;
        }
        PeerLink before = byName.put(node, link);
        if (before != null && before != link && !before.node().equals(node)) {
            LOG.log(System.Logger.Level.WARNING, "mesh node at " + link.address() + " calls itself " + node);
        }
        membership.node(node);
    }

    @Override
    public void up(PeerLink link, boolean up) {
        if (!link.node().isEmpty() && byName.get(link.node()) == link) {
            membership.node(link.node()).up(up);
        }
    }

    void close() {
        byAddress.values().forEach(PeerLink::close);
    }
}
