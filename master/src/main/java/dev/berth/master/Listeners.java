package dev.berth.master;

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

    /** How long a worker's accept waits before it re-checks whether it should stop. */
    static final Duration ACCEPT_POLL = Duration.ofMillis(100);
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
        try {
            for (ServiceConfig service : config.services()) {
                for (ListenAddress address : service.listen()) {
                    String key = key(service.name(), address);
                    BoundListener held = byKey.get(key);
                    if (held == null) {
                        held = bind(service.name(), address);
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

    private static BoundListener bind(String service, ListenAddress address) {
        TcpListener socket = TcpListener.bind(address.toSocketAddress(), BACKLOG, false);
        try {
            socket.blocking(true);
            socket.acceptTimeout(ACCEPT_POLL);
            InetSocketAddress local = socket.localAddress();
            return new BoundListener(service, address, socket,
                    new ListenAddress(address.host(), local.getPort()).toString());
        } catch (RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static String key(String service, ListenAddress address) {
        return service + "|" + address;
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
