package dev.berth.control;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Objects;

/**
 * What a worker of an {@code accept: handoff} pool and its dispatcher say to each other over the
 * dispatch socket ({@code run/dispatch-<pool>-<generation>.sock}), one message per SEQPACKET
 * packet, JSON with a {@code type} field (docs/adr/0005).
 *
 * <pre>
 *   worker                                   dispatcher
 *     | -- Hello(slot, token) -------------&gt; |  checks the slot's token and SO_PEERCRED pid == slot pid
 *     | -- Credit(n) ----------------------&gt; |  the worker has room for n more connections
 *     | &lt;-- Handoff(batch, services) + fds - |  at most the credit; the dispatcher keeps its copies
 *     | -- Ack(batch) ---------------------&gt; |  the worker owns them; the dispatcher closes its copies
 *     | -- Credit(k) ----------------------&gt; |  the worker took k connections and has room again
 *     | &lt;-- Revoke, then shutdown --------- |  an ack is overdue: the dispatcher takes back what
 *     |                                      |  was not acked; a worker whose ack fails drops it
 *     |        (link ends)                   |  every fd not acked goes back to the head of the queue
 * </pre>
 *
 * <p>Who owns a connection is decided by the order of the link's stream alone: an ack the worker
 * could send reaches the dispatcher before the link's end, which is when the dispatcher puts back
 * what was not acked. A worker whose ack cannot be sent reads what is left on the link: a
 * {@link Revoke} means the dispatcher takes the batch back, so the worker closes its copies; the end
 * without one means the dispatcher died with its copies, so the worker keeps them.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = DispatchMessage.Hello.class, name = "hello"),
    @JsonSubTypes.Type(value = DispatchMessage.Credit.class, name = "credit"),
    @JsonSubTypes.Type(value = DispatchMessage.Handoff.class, name = "handoff"),
    @JsonSubTypes.Type(value = DispatchMessage.Ack.class, name = "ack"),
    @JsonSubTypes.Type(value = DispatchMessage.Revoke.class, name = "revoke"),
})
public sealed interface DispatchMessage {

    /**
     * The first message of a worker on the dispatch socket.
     *
     * @param slot the worker's scoreboard slot
     * @param token the token the master wrote into that slot for it
     */
    record Hello(int slot, long token) implements DispatchMessage {
    }

    /**
     * The worker has room for {@code connections} more, on top of what it granted before.
     *
     * @param connections 1 or more
     */
    record Credit(int connections) implements DispatchMessage {

        /** Checks the count. */
        public Credit {
            if (connections < 1) {
                throw new IllegalArgumentException("credit must be >= 1: " + connections);
            }
        }
    }

    /**
     * Connections for the worker: their descriptors travel in the same packet, one per service
     * name, in order.
     *
     * @param batch the dispatcher's number for this packet, echoed by {@link Ack}
     * @param services the service each connection came in on
     */
    record Handoff(long batch, List<String> services) implements DispatchMessage {

        /** Checks the arguments and copies the list. */
        public Handoff {
            services = List.copyOf(Objects.requireNonNull(services, "services"));
            if (services.isEmpty()) {
                throw new IllegalArgumentException("a handoff carries at least one connection");
            }
        }
    }

    /**
     * The worker received every connection of {@code batch} and owns them now. Sent before the
     * worker touches any of them.
     *
     * @param batch the handoff's number
     */
    record Ack(long batch) implements DispatchMessage {
    }

    /**
     * The dispatcher's last message on a link it ends because an ack is overdue (a stopped or stuck
     * worker): every connection sent and not acked goes to another worker, so a worker that reads
     * this with a batch it could not ack closes that batch.
     */
    record Revoke() implements DispatchMessage {
    }
}
