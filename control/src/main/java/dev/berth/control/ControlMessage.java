package dev.berth.control;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Objects;

/**
 * What berth's processes say to each other over a {@link ControlChannel}: one message per
 * SEQPACKET packet, JSON with a {@code type} field, descriptors attached where a message says so.
 * Two conversations use it.
 *
 * <p><b>Master link</b> ({@code run/worker.sock}): every child of the master, whatever its role,
 * opens with the same Hello; the master answers with the child's assignment.
 *
 * <pre>
 *   child (worker, dispatcher, ...)   master
 *     | -- Hello(slot, token) -------&gt; |  master checks SO_PEERCRED pid and token
 *     | &lt;-- Assignment + listener fds - |  config text, pool, id, generation, dispatch socket
 *     | -- Ready -------------------&gt;  |  accepting on every listener
 *     | -- Failed(reason) ----------&gt;  |  (instead, or later) why the worker is about to exit 1
 *     | &lt;-- Drain(timeout) ----------- |  stop accepting, finish, exit 0
 *     |        (socket closes)         |  either side gone: the other acts (child exits)
 * </pre>
 *
 * <p><b>Dispatch link</b> ({@code run/dispatch-<pool>-<generation>.sock}, docs/adr/0005 and 0035):
 * a worker of an {@code accept: handoff} pool and its dispatcher. The Hello is JSON; every later
 * message is a binary frame ({@link LinkFrames}).
 *
 * <pre>
 *   worker                                   dispatcher
 *     | -- Hello(slot, token) -------------&gt; |  checks the slot's token and SO_PEERCRED pid == slot pid
 *     | -- Credit(n) ----------------------&gt; |  the worker has room for n connections
 *     | &lt;-- Handoff(batch, services) + fds - |  at most the credit; the dispatcher keeps its copies
 *     | &lt;-- Handoff(batch', ...) + fds ---- |  (more, while credit lasts; no waiting for acks)
 *     | -- Ack(batch', k) -----------------&gt; |  the worker owns every batch up to batch' and has room
 *     |                                      |  for k more; the dispatcher closes its copies
 *     | &lt;-- Revoke, then shutdown --------- |  an ack is overdue: the dispatcher takes back what
 *     |                                      |  was not acked; a worker whose ack fails drops it
 *     |        (link ends)                   |  every fd not acked goes back to the head of the queue
 * </pre>
 *
 * <p>On the dispatch link, who owns a connection is decided by the order of the link's stream
 * alone: an ack the worker could send reaches the dispatcher before the link's end, which is when
 * the dispatcher puts back what was not acked. A worker whose ack cannot be sent reads what is left
 * on the link: a {@link Revoke} means the dispatcher takes the batch back, so the worker closes its
 * copies; the end without one means the dispatcher died with its copies, so the worker keeps them.
 *
 * <p>A message that does not belong to the conversation it arrives on is logged and ignored by
 * the receiver.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ControlMessage.Hello.class, name = "hello"),
    @JsonSubTypes.Type(value = ControlMessage.Assignment.class, name = "assignment"),
    @JsonSubTypes.Type(value = ControlMessage.Ready.class, name = "ready"),
    @JsonSubTypes.Type(value = ControlMessage.Drain.class, name = "drain"),
    @JsonSubTypes.Type(value = ControlMessage.Failed.class, name = "failed"),
    @JsonSubTypes.Type(value = ControlMessage.Tenancy.class, name = "tenancy"),
    @JsonSubTypes.Type(value = ControlMessage.AddressDrain.class, name = "address-drain"),
})
public sealed interface ControlMessage {

    /**
     * The first message on either link: who the sender is.
     *
     * @param slot the scoreboard slot it was started for
     * @param token the slot token it was started with
     */
    record Hello(int slot, long token) implements ControlMessage {
    }

    /**
     * The master's answer to Hello: everything the child needs to serve. The listening sockets
     * travel as descriptors in the same packet, in the order of {@code listeners}, except for the
     * workers of an {@code accept: handoff} pool: they get no descriptors and take their
     * connections from the dispatcher at {@code dispatchSocket}. The pool's dispatcher gets the
     * listeners and then, as the last descriptor, the listening socket bound at
     * {@code dispatchSocket}, which the master created and keeps.
     *
     * @param configFile the config file's path, the base of relative paths
     * @param configText the exact text the master validated, so master and child agree
     * @param pool the child's pool
     * @param workerId the worker's id within the pool (1-based, reused by replacements; 0 for a dispatcher)
     * @param generation the config generation the child serves
     * @param listeners the pool's listening sockets, in the order of the descriptors
     * @param dispatchSocket the path of the dispatcher's socket of this pool and generation for
     *     {@code accept: handoff}, empty for every other strategy
     */
    record Assignment(String configFile, String configText, String pool, int workerId, long generation,
                      List<Listener> listeners, String dispatchSocket, List<Lane> lanes) implements ControlMessage {

        /** Checks the arguments and copies the lists. */
        public Assignment {
            Objects.requireNonNull(configFile, "configFile");
            Objects.requireNonNull(configText, "configText");
            Objects.requireNonNull(pool, "pool");
            Objects.requireNonNull(dispatchSocket, "dispatchSocket");
            listeners = List.copyOf(listeners);
            lanes = lanes == null ? List.of() : List.copyOf(lanes);
        }

        /** An assignment without lanes: every child but a dispatcher of tenant groups. */
        public Assignment(String configFile, String configText, String pool, int workerId, long generation,
                          List<Listener> listeners, String dispatchSocket) {
            this(configFile, configText, pool, workerId, generation, listeners, dispatchSocket, List.of());
        }
    }

    /**
     * One lane of a dispatcher that classifies tenant groups' connections (docs/adr/0013): the
     * pool instance whose workers take its connections, and their dispatch socket. A dispatcher's
     * lanes' listening sockets travel after its listeners, in this order.
     *
     * @param pool the instance, {@code POOL@GROUP} (or the pool itself for its own services)
     * @param socket the dispatch socket its workers link to
     */
    record Lane(String pool, String socket) {
    }

    /**
     * Master to a dispatcher that classifies: who owns which address now, and the uid of each
     * group's own user (a loopback peer owned by it is that group's). Sent right after the
     * assignment, before the dispatcher accepts, and again whenever a claim changes
     * ({@code berth addr}, a reload's drains).
     *
     * @param claims every claim
     * @param uids group name to the uid of its {@code user}, for groups that have one
     */
    record Tenancy(List<AddressClaim> claims, java.util.Map<String, Integer> uids) implements ControlMessage {

        /** Copies the collections. */
        public Tenancy {
            claims = List.copyOf(claims);
            uids = java.util.Map.copyOf(uids);
        }
    }

    /**
     * One address claim of a {@link Tenancy}.
     *
     * @param address the address, numeric
     * @param group the group that owns it
     * @param draining whether it is leaving (owns no new connection)
     */
    record AddressClaim(String address, String group, boolean draining) {
    }

    /**
     * Master to a tenant group's workers, after {@code berth addr del}: the connections that came
     * to {@code address} end at their protocol's next clean point (the drain goodbye), and are
     * closed after {@code timeoutMillis}.
     *
     * @param address the numeric address
     * @param timeoutMillis how long they may take
     */
    record AddressDrain(String address, long timeoutMillis) implements ControlMessage {
    }

    /**
     * One listening socket of an assignment.
     *
     * @param service the service it belongs to
     * @param address the bound address, as status shows it
     */
    record Listener(String service, String address) {

        /** Checks the arguments: a listener without either is no listener (found by ControlFrameFuzzTest). */
        public Listener {
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(address, "address");
        }
    }

    /** The child serves: a worker accepts on all its listeners. */
    record Ready() implements ControlMessage {
    }

    /**
     * Stop accepting, let open connections finish, then exit.
     *
     * @param timeoutMillis how long to wait for open connections before closing them
     */
    record Drain(long timeoutMillis) implements ControlMessage {
    }

    /**
     * Dispatch link: the worker has room for {@code connections} more, on top of what it granted
     * before.
     *
     * @param connections 1 or more
     */
    record Credit(int connections) implements ControlMessage {

        /** Checks the count. */
        public Credit {
            if (connections < 1) {
                throw new IllegalArgumentException("credit must be >= 1: " + connections);
            }
        }
    }

    /**
     * Dispatch link: connections for the worker; their descriptors travel in the same packet, one
     * per service name, in order.
     *
     * @param batch the dispatcher's number for this packet, echoed by {@link Ack}
     * @param services the service each connection came in on
     */
    record Handoff(long batch, List<String> services) implements ControlMessage {

        /** Checks the arguments and copies the list. */
        public Handoff {
            services = List.copyOf(Objects.requireNonNull(services, "services"));
            if (services.isEmpty()) {
                throw new IllegalArgumentException("a handoff carries at least one connection");
            }
        }
    }

    /**
     * Dispatch link: the worker received every connection of every batch up to and including
     * {@code batch} and owns them now, and has room for {@code credit} more connections. Sent before
     * the worker touches any of them; one ack answers every batch read in one go (a link's batches
     * arrive in the order of their numbers).
     *
     * @param batch the number of the last batch received; 0 acks nothing
     * @param credit connections granted anew, 0 or more
     */
    record Ack(long batch, int credit) implements ControlMessage {

        /** Checks the numbers. */
        public Ack {
            if (batch < 0 || credit < 0) {
                throw new IllegalArgumentException("batch and credit must be >= 0: " + batch + ", " + credit);
            }
        }
    }

    /**
     * Dispatch link: the dispatcher's last message on a link it ends because an ack is overdue (a
     * stopped or stuck worker): every connection sent and not acked goes to another worker, so a
     * worker that reads this with a batch it could not ack closes that batch.
     */
    record Revoke() implements ControlMessage {
    }

    /**
     * The child cannot go on and is about to exit: the reason, for the master's log and for a
     * {@code start} that gives up on a pool whose workers cannot start at all.
     *
     * @param reason one line, such as the message of the exception that ended it
     */
    record Failed(String reason) implements ControlMessage {

        /** Checks the reason. */
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
