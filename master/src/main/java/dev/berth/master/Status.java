package dev.berth.master;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What {@code berth status --json} prints and the master's control socket returns: a snapshot made
 * on the supervisor thread. Field names are the JSON names of DESIGN.md §5.
 *
 * @param master the master process
 * @param services every service with the addresses actually bound
 * @param pools every pool with its workers, including draining ones of older generations
 * @param events the master's last events (starts, restarts with their cause, resizes, reloads),
 *     oldest first
 * @param tenancy the tenant groups' address table and counts (DESIGN.md §7); null, and left out
 *     of the JSON, for a config without groups
 */
public record Status(MasterStatus master, List<ServiceStatus> services, List<PoolStatus> pools,
                     List<EventStatus> events, @JsonInclude(JsonInclude.Include.NON_NULL) TenancyStatus tenancy) {

    /** A status without tenant groups. */
    public Status(MasterStatus master, List<ServiceStatus> services, List<PoolStatus> pools, List<EventStatus> events) {
        this(master, services, pools, events, null);
    }

    /**
     * Tenant groups (DESIGN.md §7).
     *
     * @param addresses the address table: every claim, by group then address
     * @param counts connections classified, per service, group and how (address, loopback,
     *     default, or refused-CAUSE), since the master started
     */
    public record TenancyStatus(List<AddressStatus> addresses, List<TenantCount> counts) {
    }

    /**
     * One claim of the address table.
     *
     * @param address the address
     * @param group the group that owns it
     * @param device the interface {@code berth addr add} put it on; empty for a config address
     * @param since when it was claimed (ISO-8601, UTC)
     * @param origin config, runtime or persisted
     * @param state claimed, or draining (after {@code berth addr del}: no new connection)
     */
    public record AddressStatus(String address, String group, @JsonProperty("interface") String device, String since,
                                String origin, String state) {
    }

    /**
     * One row of classification counts, summed over the dispatchers of every generation.
     *
     * @param service the service
     * @param group the group (for a refusal: the group it would have gone to, or empty)
     * @param how address, loopback, default, or refused-no-owner, refused-not-served,
     *     refused-loopback-denied
     * @param count connections
     */
    public record TenantCount(String service, String group, String how, long count) {
    }

    /**
     * @param pid the master's pid
     * @param generation the config generation, 1 at start, +1 per successful reload
     * @param uptimeMs milliseconds since the master started
     * @param admin the address the admin plane is bound to ({@code 127.0.0.1:8025}); empty (and
     *     left out of the JSON) when it has none
     * @param ready whether every pool has its minimum of ready workers
     */
    public record MasterStatus(long pid, long generation, @JsonProperty("uptime-ms") long uptimeMs,
                               @JsonInclude(JsonInclude.Include.NON_EMPTY) String admin, boolean ready) {
    }

    /**
     * One event of the master's.
     *
     * @param time when it happened (ISO-8601, UTC)
     * @param event what: started, ready, restart, exited, resized, throttled, reloaded, reload-refused
     * @param pool the pool, empty for the master
     * @param role worker or dispatcher, empty when no child is concerned
     * @param worker the worker's id (0 for a dispatcher or none)
     * @param pid the child's pid, 0 when none
     * @param generation the child's generation, 0 when none
     * @param cause the cause (crash, hang, recycle, reload, scale; grow, shrink; crash-loop), or empty
     * @param message what happened, in words
     */
    public record EventStatus(String time, String event, String pool, String role, int worker, long pid,
                              long generation, String cause, String message) {

        static EventStatus of(java.time.Instant at, MasterEvent e) {
            MasterEvent.Child c = e.child().orElse(new MasterEvent.Child("", "", 0, 0, 0));
            return new EventStatus(at.toString(), e.name(), e.pool().orElse(""), c.role(), c.id(), c.pid(),
                    c.generation(), e.cause().orElse(""), e.message());
        }
    }

    /**
     * @param name the service's name
     * @param kind its kind
     * @param pool its pool
     * @param listen bound addresses, with real ports
     */
    public record ServiceStatus(String name, String kind, String pool, List<String> listen) {
    }

    /**
     * @param name the pool's name
     * @param accept its accept strategy
     * @param throttled whether it is in a crash loop (restarts slowed, never stopped)
     * @param restarts crashes and hang kills since the master started
     * @param size the number of workers it is kept at now
     * @param min the configured minimum
     * @param max the configured maximum
     * @param loadPerMille the average busy share of its ready workers' event loops
     * @param sizing why it has its size
     * @param workers its workers
     * @param dispatchers its dispatchers ({@code accept: handoff}; two while a reload or a hang
     *     replaces one, none for other strategies)
     * @param restartsByCause workers that left the pool since the master started, by {@link
     *     RestartCause} label, every cause present
     */
    public record PoolStatus(String name, String accept, boolean throttled, long restarts, int size, int min,
                             int max, @JsonProperty("load-permille") int loadPerMille, String sizing,
                             List<WorkerStatus> workers, List<DispatcherStatus> dispatchers,
                             @JsonProperty("restarts-by-cause") java.util.Map<String, Long> restartsByCause) {
    }

    /**
     * @param pid its process id
     * @param generation the config generation it serves
     * @param state starting, ready, draining or killing
     * @param queued connections waiting for a worker now (the handoff queue's depth)
     * @param inFlight connections sent to workers and not yet acknowledged
     * @param links workers linked to it now
     * @param accepted connections it accepted
     * @param handedOff connections workers acknowledged
     * @param heartbeatAgeMs age of its oldest thread heartbeat, -1 before the first
     */
    public record DispatcherStatus(long pid, long generation, String state, long queued,
                                   @JsonProperty("in-flight") long inFlight, long links, long accepted,
                                   @JsonProperty("handed-off") long handedOff,
                                   @JsonProperty("heartbeat-age-ms") long heartbeatAgeMs) {
    }

    /**
     * @param id the worker's id in its pool
     * @param pid its process id
     * @param generation the config generation it serves
     * @param state starting, ready, draining or killing; for a spare (id 0), spare-starting until
     *     it has prepared and attached, then spare
     * @param active connections open now
     * @param served requests finished
     * @param accepted connections taken
     * @param heartbeatAgeMs age of its oldest thread heartbeat, -1 before the first
     * @param loadPerMille busy share of its event loops over the last second
     * @param ageMs milliseconds since it was started
     * @param maxRequests the connections after which it is recycled (the pool's max-requests plus
     *     its jitter), 0 for never
     * @param overshoot connections it accepted past {@code maxRequests}: those it took while no
     *     sibling could carry the load
     */
    public record WorkerStatus(int id, long pid, long generation, String state, long active, long served,
                               long accepted, @JsonProperty("heartbeat-age-ms") long heartbeatAgeMs,
                               @JsonProperty("load-permille") int loadPerMille,
                               @JsonProperty("age-ms") long ageMs,
                               @JsonProperty("max-requests") long maxRequests,
                               @JsonProperty("max-requests-overshoot") long overshoot) {

        /** Without a recycle limit. */
        public WorkerStatus(int id, long pid, long generation, String state, long active, long served, long accepted,
                            long heartbeatAgeMs, int loadPerMille, long ageMs) {
            this(id, pid, generation, state, active, served, accepted, heartbeatAgeMs, loadPerMille, ageMs, 0, 0);
        }
    }
}
