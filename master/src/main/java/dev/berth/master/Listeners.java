package dev.berth.master;

import dev.berth.config.AcceptStrategy;
import dev.berth.config.HostConfig;
import dev.berth.config.ListenAddress;
import dev.berth.config.ServiceConfig;
import dev.berth.posix.TcpListener;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every listening socket of the running config, bound once by the master and held for as long as
 * some config names it, so that the kernel's accept queue outlives any worker and any reload.
 *
 * <p>Sockets are blocking with a short receive timeout: workers accept from them on dedicated
 * threads (see docs/adr/0002). Owned by the supervisor thread.
 */
final class Listeners implements AutoCloseable {

    /** How long a blocking accept waits before its thread re-checks whether it should stop. */
    static final Duration ACCEPT_POLL = Duration.ofMillis(100);
    /**
     * The same bound for {@code accept: shared}, whose workers wake their accept threads when they
     * stop (dev.berth.posix.BlockedThread): only a backstop, so an idle worker does not wake ten
     * times a second.
     */
    static final Duration SHARED_ACCEPT_POLL = Duration.ofSeconds(5);
    private static final int BACKLOG = 4096;

    private final Map<String, BoundListener> byKey = new LinkedHashMap<>();

    /**
     * Makes the held sockets match {@code config}: keeps the ones whose service and address are
     * unchanged, binds the new ones. Returns the ones no longer named, which the caller closes
     * once the workers using them are drained. If a bind fails, whatever this call bound is closed
     * again and the held set is unchanged.
     *
     * @throws dev.berth.posix.PosixException naming the address that could not be bound
     */
    List<BoundListener> reconcile(HostConfig config) {
        Map<String, BoundListener> next = new LinkedHashMap<>();
        List<BoundListener> fresh = new ArrayList<>();
        java.util.Set<ListenAddress> shared = SharedPorts.of(config);
        try {
            for (ServiceConfig service : config.services()) {
                // a grouped service's connections all go through its pool's classifying dispatcher
                AcceptStrategy accept = service.grouped() ? AcceptStrategy.HANDOFF
                        : config.pool(service.pool()).orElseThrow().accept();
                for (ListenAddress address : service.listen()) {
                    boolean pair = shared.contains(address);
                    String key = key(service.name(), address, accept) + (pair ? "|pair" : "");
                    BoundListener held = byKey.get(key);
                    if (held == null) {
                        held = bind(service.name(), address, accept, pair);
                        fresh.add(held);
                    }
                    next.put(key, held);
                }
            }
        } catch (RuntimeException e) {
            fresh.forEach(l -> l.socket().close());
            throw e;
        }
        List<BoundListener> removed = new ArrayList<>();
        byKey.forEach((key, listener) -> {
            if (!next.containsKey(key)) {
                removed.add(listener);
            }
        });
        byKey.clear();
        byKey.putAll(next);
        return removed;
    }

    /**
     * Binds the master's socket for an address. shared: blocking with the accept poll as receive
     * timeout, for the workers' blocking acceptors. handoff: non-blocking, for the dispatchers' epoll
     * loops (docs/adr/0035). mutex: non-blocking, as only the lock holder accepts, after poll.
     * reuseport: a reserved, non-listening member of the group that holds the port; each worker gets
     * a listening member of its own ({@link #workerSocket}). A wildcard address and a specific one of its family on the
     * same port are both bound with SO_REUSEPORT ({@code pair}), the only way Linux lets both listen;
     * the kernel then gives the specific one its connections (docs/adr/0014).
     */
    private static BoundListener bind(String service, ListenAddress address, AcceptStrategy accept, boolean pair) {
        TcpListener socket = accept == AcceptStrategy.REUSEPORT
                ? TcpListener.reserve(address.toSocketAddress())
                : TcpListener.bind(address.toSocketAddress(), BACKLOG, pair);
        try {
            if (accept != AcceptStrategy.REUSEPORT) {
                socket.blocking(accept == AcceptStrategy.SHARED);
                socket.acceptTimeout(accept == AcceptStrategy.SHARED ? SHARED_ACCEPT_POLL : ACCEPT_POLL);
            }
            InetSocketAddress local = socket.localAddress();
            return new BoundListener(service, address, socket, accept,
                    new ListenAddress(address.host(), local.getPort()).toString());
        } catch (RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * A new listening member of a reuseport group for one worker, blocking with the accept poll as
     * receive timeout. The caller sends it to the worker and then closes its own copy, so that the
     * socket dies with the worker and the kernel moves its queue to the siblings (tcp_migrate_req).
     */
    static TcpListener workerSocket(BoundListener reserved) {
        TcpListener socket = TcpListener.bind(reserved.socket().localAddress(), BACKLOG, true);
        try {
            socket.acceptTimeout(ACCEPT_POLL);
            return socket;
        } catch (RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static String key(String service, ListenAddress address, AcceptStrategy accept) {
        return service + "|" + address + "|" + accept.configName();
    }

    /** The held sockets of one service, in config order. */
    List<BoundListener> of(String service) {
        return byKey.values().stream().filter(l -> l.service().equals(service)).toList();
    }

    /** Closes every held socket. */
    @Override
    public void close() {
        byKey.values().forEach(l -> l.socket().close());
        byKey.clear();
    }
}
