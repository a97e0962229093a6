package dev.berth.worker;

import dev.berth.config.AcceptStrategy;
import dev.berth.config.ConfigLoader;
import dev.berth.config.HostConfig;
import dev.berth.config.PoolConfig;
import dev.berth.config.ServiceConfig;
import dev.berth.control.ControlException;
import dev.berth.control.ControlMessage;
import dev.berth.posix.FileDescriptors;
import dev.berth.posix.TcpListener;
import dev.berth.scoreboard.WorkerSlot;
import dev.berth.service.ServiceContext;
import dev.berth.service.ServiceHandler;
import dev.berth.service.ServiceKinds;
import dev.berth.service.ServiceSettings;
import dev.berth.tenancy.GroupOutbound;
import dev.berth.tenancy.SourceAddresses;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an assignment means for one worker: its pool, a handler per service of the pool (those that
 * execute a mesh group listen on nothing), and the listening sockets it accepts from (none in a
 * handoff pool). Made and closed by the worker's main
 * thread.
 *
 * @param config the config the master validated, parsed again here
 * @param pool the worker's pool
 * @param handlers each service's handler, by service name, in the assignment's order
 * @param bindings the listeners with their handlers, in the order of the descriptors
 */
record WorkerServices(HostConfig config, PoolConfig pool, Map<String, ServiceHandler> handlers,
                      List<ListenerBinding> bindings) {

    /** What a spare reads to load the config's classes ({@link #warmUp}). */
    private static final String WARM_UP_CONFIG = """
            pools:
              spare: {workers: 1, threads: 1}
            services:
              - {name: spare, kind: http, pool: spare, listen: ["127.0.0.1:0"]}
            """;

    /** Copies the collections. */
    WorkerServices {
        handlers = Collections.unmodifiableMap(new LinkedHashMap<>(handlers));
        bindings = List.copyOf(bindings);
    }

    /**
     * Parses the assignment's config, makes the handlers and adopts the listening sockets.
     *
     * @param fds the assignment's descriptors, owned from now on (closed here if they do not fit)
     * @throws ControlException when the assignment does not fit the config or its descriptors
     * @throws dev.berth.config.ConfigException when the config does not parse (the master's
     *     does; a worker of another version might not)
     */
    static WorkerServices of(ControlMessage.Assignment assignment, int[] fds, WorkerSlot slot) {
        ServiceKinds kinds = ServiceKinds.installed();
        HostConfig config = ConfigLoader.parse(Path.of(assignment.configFile()), assignment.configText(), kinds.names());
        PoolConfig pool = config.pool(assignment.pool()).orElse(null);
        boolean handoff = pool != null && pool.accept() == AcceptStrategy.HANDOFF;
        if (pool == null || fds.length != (handoff ? 0 : assignment.listeners().size())) {
            FileDescriptors.closeAll(fds);
            throw new ControlException(pool == null ? "assigned to unknown pool " + assignment.pool()
                    : "assignment of " + assignment.listeners().size() + " listeners came with " + fds.length + " fds");
        }
        Map<String, ServiceSettings> settings = kinds.settings(config);
        Map<String, ServiceHandler> handlers = new LinkedHashMap<>();
        for (ControlMessage.Listener l : assignment.listeners()) {
            ServiceConfig service = config.services().stream().filter(s -> s.name().equals(l.service()))
                    .findFirst().orElseThrow(() -> new ControlException("unknown service " + l.service()));
            handlers.computeIfAbsent(service.name(), n -> CountingHandler.counting(n, slot, kinds.kind(service.kind())
                    .newHandler(settings.get(ServiceConfig.instanceKey(n, pool.group())), context(config, pool, n, slot))));
        }
        // a service that executes a mesh group listens on nothing: its handler is made all the same,
        // and serves the requests its kind takes from the mesh
        for (ServiceConfig service : config.servicesOf(pool.name())) {
            if (service.listen().isEmpty() && service.meshGroup().isPresent()) {
                handlers.computeIfAbsent(service.name(), n -> kinds.kind(service.kind())
                        .newHandler(settings.get(n), CountingHandler.context(n, slot)));
            }
        }
        List<ListenerBinding> bindings = new ArrayList<>();
        for (int i = 0; i < fds.length; i++) {
            String service = assignment.listeners().get(i).service();
            bindings.add(new ListenerBinding(service, TcpListener.adopt(fds[i]), handlers.get(service)));
        }
        return new WorkerServices(config, pool, handlers, bindings);
    }

    /**
     * Reads a small config with one {@code http} service, when that kind is installed: loads the
     * YAML reader and the config's classes ahead of a start (a spare's preparation).
     */
    static void warmUp() {
        ServiceKinds kinds = ServiceKinds.installed();
        if (kinds.names().contains("http")) {
            HostConfig config = ConfigLoader.parse(Path.of("spare.yaml"), WARM_UP_CONFIG, kinds.names());
            kinds.settings(config);
        }
    }

    /**
     * The context of a service's handler: a tenant group's instance knows its group and connects
     * out from the group's address (DESIGN.md §7).
     */
    private static ServiceContext context(HostConfig config, PoolConfig pool, String service, WorkerSlot slot) {
        ServiceContext plain = CountingHandler.context(service, slot);
        return pool.group().flatMap(config::group).map(group -> new ServiceContext(plain.serviceName(), plain.requests(),
                plain.counters(), Optional.of(group.name()), GroupOutbound.of(SourceAddresses.of(group)))).orElse(plain);
    }

    /** The accept lock file of a {@code mutex} pool. */
    Path acceptLock() {
        return config.master().runDir().resolve("accept-" + pool.name() + ".lock");
    }

    /** Closes the listening sockets: the worker accepts no more. */
    void closeListeners() {
        bindings.forEach(b -> b.listener().close());
    }

    /** Tells every handler that the worker drains (each ends its connections as its protocol allows). */
    void drain() {
        handlers.values().forEach(ServiceHandler::onDrain);
    }

    /** Closes every handler; after the event loops are gone. */
    void closeHandlers() {
        handlers.values().forEach(ServiceHandler::close);
    }
}
