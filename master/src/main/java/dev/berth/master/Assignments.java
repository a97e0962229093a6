package dev.berth.master;

import dev.berth.config.AcceptStrategy;
import dev.berth.config.HostConfig;
import dev.berth.config.ServiceConfig;
import dev.berth.control.ControlChannel;
import dev.berth.control.ControlMessage;
import dev.berth.posix.TcpListener;
import java.util.ArrayList;
import java.util.List;

/**
 * Tells a child that said Hello what to serve, with the descriptors it needs (see {@link
 * ControlMessage.Assignment}): a worker gets its pool's listeners (its own reuseport members, or
 * nothing but the dispatch socket's path in a handoff pool); a dispatcher gets the pool's
 * listeners and then the dispatch socket. Runs on the supervisor thread.
 */
final class Assignments {

    private final Listeners listeners;
    private final DispatchSockets dispatchSockets;

    Assignments(Listeners listeners, DispatchSockets dispatchSockets) {
        this.listeners = listeners;
        this.dispatchSockets = dispatchSockets;
    }

    /**
     * Sends the assignment of {@code child} under {@code config}.
     *
     * @throws RuntimeException when a socket cannot be made or the child is gone; the caller closes
     *     the channel
     */
    void send(ControlChannel channel, HostConfig config, WorkerProcess child) {
        boolean handoff = config.pool(child.pool()).map(p -> p.accept() == AcceptStrategy.HANDOFF).orElse(false);
        boolean dispatcher = child.role() == Role.DISPATCHER;
        List<ControlMessage.Listener> named = new ArrayList<>();
        List<Integer> fds = new ArrayList<>();
        List<TcpListener> own = new ArrayList<>();
        try {
            for (ServiceConfig service : config.servicesOf(child.pool())) {
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
            String dispatchSocket = "";
            if (handoff) {
                dispatchSocket = dispatchSockets.path(child.pool(), child.generation()).toString();
                if (dispatcher) {
                    fds.add(dispatchSockets.open(child.pool(), child.generation()).fd());
                }
            }
            channel.send(new ControlMessage.Assignment(config.file().toString(), config.text(), child.pool(),
                    child.id(), child.generation(), named, dispatchSocket),
                    fds.stream().mapToInt(Integer::intValue).toArray());
        } finally {
            // a worker's own reuseport sockets must die with it, so the master keeps no copy
            own.forEach(TcpListener::close);
        }
    }
}
