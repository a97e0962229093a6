package dev.berth.control;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Objects;

/**
 * What the master and a worker (or a dispatcher, which speaks as a worker does) say to each other
 * over the control socket, one message per SEQPACKET packet, encoded as JSON with a {@code type}
 * field.
 *
 * <pre>
 *   worker or dispatcher           master
 *     | -- Hello(slot, token) -------&gt; |  master checks SO_PEERCRED pid and token
 *     | &lt;-- Assignment + listener fds - |  config text, pool, id, generation, dispatch socket
 *     | -- Ready -------------------&gt;  |  accepting on every listener
 *     | &lt;-- Drain(timeout) ----------- |  stop accepting, finish, exit 0
 *     |        (socket closes)         |  either side gone: the other acts (worker exits)
 * </pre>
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ControlMessage.Hello.class, name = "hello"),
    @JsonSubTypes.Type(value = ControlMessage.Assignment.class, name = "assignment"),
    @JsonSubTypes.Type(value = ControlMessage.Ready.class, name = "ready"),
    @JsonSubTypes.Type(value = ControlMessage.Drain.class, name = "drain"),
})
public sealed interface ControlMessage {

    /**
     * The first message of a worker.
     *
     * @param slot the scoreboard slot it was started for
     * @param token the slot token it was started with
     */
    record Hello(int slot, long token) implements ControlMessage {
    }

    /**
     * The master's answer to Hello: everything the worker needs to serve. The listening sockets
     * travel as descriptors in the same packet, in the order of {@code listeners}, except for the
     * workers of an {@code accept: handoff} pool: they get no descriptors and take their
     * connections from the dispatcher at {@code dispatchSocket}. The pool's dispatcher gets the
     * listeners and then, as the last descriptor, the listening socket bound at
     * {@code dispatchSocket}, which the master created and keeps.
     *
     * @param configFile the config file's path, the base of relative paths
     * @param configText the exact text the master validated, so master and worker agree
     * @param pool the worker's pool
     * @param workerId the worker's id within the pool (1-based, reused by replacements; 0 for a dispatcher)
     * @param generation the config generation the worker serves
     * @param listeners the pool's listening sockets, in the order of the descriptors
     * @param dispatchSocket the path of the dispatcher's socket of this pool and generation for
     *     {@code accept: handoff}, empty for every other strategy
     */
    record Assignment(String configFile, String configText, String pool, int workerId, long generation,
                      List<Listener> listeners, String dispatchSocket) implements ControlMessage {

        /** Checks the arguments and copies the list. */
        public Assignment {
            Objects.requireNonNull(configFile, "configFile");
            Objects.requireNonNull(configText, "configText");
            Objects.requireNonNull(pool, "pool");
            Objects.requireNonNull(dispatchSocket, "dispatchSocket");
            listeners = List.copyOf(listeners);
        }
    }

    /**
     * One listening socket of an assignment.
     *
     * @param service the service it belongs to
     * @param address the bound address, as status shows it
     */
    record Listener(String service, String address) {
    }

    /** The worker accepts on all its listeners. */
    record Ready() implements ControlMessage {
    }

    /**
     * Stop accepting, let open connections finish, then exit.
     *
     * @param timeoutMillis how long to wait for open connections before closing them
     */
    record Drain(long timeoutMillis) implements ControlMessage {
    }
}
