package dev.berth.control;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Objects;

/**
 * What the master and a worker say to each other over the control socket, one message per
 * SEQPACKET packet, encoded as JSON with a {@code type} field.
 *
 * <pre>
 *   worker                         master
 *     | -- Hello(slot, token) -------&gt; |  master checks SO_PEERCRED pid and token
 *     | &lt;-- Assignment + listener fds - |  config text, pool, id, generation
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
     * travel as descriptors in the same packet, in the order of {@code listeners}.
     *
     * @param configFile the config file's path, the base of relative paths
     * @param configText the exact text the master validated, so master and worker agree
     * @param pool the worker's pool
     * @param workerId the worker's id within the pool (1-based, reused by replacements)
     * @param generation the config generation the worker serves
     * @param listeners the sockets sent with this message
     */
    record Assignment(String configFile, String configText, String pool, int workerId, long generation,
                      List<Listener> listeners) implements ControlMessage {

        /** Checks the arguments and copies the list. */
        public Assignment {
            Objects.requireNonNull(configFile, "configFile");
            Objects.requireNonNull(configText, "configText");
            Objects.requireNonNull(pool, "pool");
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
