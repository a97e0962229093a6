package dev.berth.master;

import dev.berth.config.AcceptStrategy;
import dev.berth.config.HostConfig;
import dev.berth.config.PoolConfig;
import dev.berth.config.ServiceConfig;
import dev.berth.control.ControlChannel;
import dev.berth.control.ControlMessage;
import dev.berth.posix.TcpListener;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Tells a child that said Hello what to serve, with the descriptors it needs (see {@link
 * ControlMessage.Assignment}): a worker gets its pool's listeners (its own reuseport members, or
 * nothing but the dispatch socket's path in a handoff pool or a tenant group's instance); a
 * dispatcher gets the listeners it accepts on (its pool's own when the pool hands off, and those
 * of the pool's services with tenant groups), then one dispatch socket per lane: the pool's own
 * and one per group's instance (docs/adr/0013). A dispatcher that classifies is sent the address
 * claims right after. The mesh proxy gets the config alone. Runs on the supervisor
 * thread.
 */
final class Assignments {

    private final Listeners listeners;
    private final DispatchSockets dispatchSockets;
    private final Function<HostConfig, ControlMessage.Tenancy> tenancy;

    /**
     * @param tenancy the claims a classifying dispatcher gets after its assignment
     */
    Assignments(Listeners listeners, DispatchSockets dispatchSockets, Function<HostConfig, ControlMessage.Tenancy> tenancy) {
        this.listeners = listeners;
        this.dispatchSockets = dispatchSockets;
        this.tenancy = tenancy;
    }

    /**
     * Sends the assignment of {@code child} under {@code config}.
     *
     * @throws RuntimeException when a socket cannot be made or the child is gone; the caller closes
     *     the channel
     */
    void send(ControlChannel channel, HostConfig config, WorkerProcess child) {
        boolean mesh = child.role() == Role.MESH;
        PoolConfig pool = mesh ? MeshProxyChild.POOL_CONFIG : config.pool(child.pool())
                .orElseThrow(() -> new MasterException("pool " + child.pool() + " left the config"));
        boolean handoff = !mesh && pool.accept() == AcceptStrategy.HANDOFF;
        boolean dispatcher = child.role() == Role.DISPATCHER;
        List<ControlMessage.Listener> named = new ArrayList<>();
        List<Integer> fds = new ArrayList<>();
        List<TcpListener> own = new ArrayList<>();
        try {
            // the mesh proxy serves no service: its one socket it binds itself, from the mesh section
            List<ServiceConfig> services = mesh ? List.of() : dispatcher ? dispatched(config, pool)
                    : config.servicesOf(child.pool());
            for (ServiceConfig service : services) {
                for (BoundListener l : listeners.of(service.name())) {
                    named.add(new ControlMessage.Listener(service.name(), l.bound()));
                    if (handoff && !dispatcher) {
                        continue;
                    }
                    if (l.accept() == AcceptStrategy.REUSEPORT) {
                        TcpListener socket = Listeners.workerSocket(l);
                        own.add(socket);
                        fds.add(socket.fd());
                    } else {
                        fds.add(l.socket().fd());
                    }
                }
            }
            List<ControlMessage.Lane> lanes = new ArrayList<>();
            if (dispatcher) {
                for (String lane : lanes(config, pool)) {
                    lanes.add(new ControlMessage.Lane(lane, dispatchSockets.path(lane, child.generation()).toString()));
                    fds.add(dispatchSockets.open(lane, child.generation()).fd());
                }
            }
            String dispatchSocket = handoff ? dispatchSockets.path(child.pool(), child.generation()).toString() : "";
            channel.send(new ControlMessage.Assignment(config.file().toString(), config.text(), child.pool(),
                    child.id(), child.generation(), named, dispatchSocket, lanes),
                    fds.stream().mapToInt(Integer::intValue).toArray());
            if (dispatcher && TenantPlane.classifies(config, pool)) {
                channel.send(tenancy.apply(config));
            }
        } finally {
            // a worker's own reuseport sockets must die with it, so the master keeps no copy
            own.forEach(TcpListener::close);
        }
    }

    /** The services whose listeners a pool's dispatcher accepts on: its own if it hands off, and its grouped ones. */
    static List<ServiceConfig> dispatched(HostConfig config, PoolConfig pool) {
        List<ServiceConfig> services = new ArrayList<>();
        if (pool.accept() == AcceptStrategy.HANDOFF) {
            services.addAll(config.servicesOf(pool.name()));
        }
        services.addAll(config.groupedServicesOf(pool.name()));
        return services;
    }

    /** The lanes a pool's dispatcher feeds: the pool itself if it hands off, then each group's instance. */
    static List<String> lanes(HostConfig config, PoolConfig pool) {
        List<String> lanes = new ArrayList<>();
        if (pool.accept() == AcceptStrategy.HANDOFF && !config.servicesOf(pool.name()).isEmpty()) {
            lanes.add(pool.name());
        }
        config.instances().stream().filter(p -> p.group().isPresent() && p.base().equals(pool.name()))
                .forEach(p -> lanes.add(p.name()));
        return lanes;
    }
}
