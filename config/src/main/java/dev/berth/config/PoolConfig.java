package dev.berth.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One pool of worker JVMs and how they are supervised. Immutable and thread-safe.
 *
 * <p>A pool that runs services with tenant groups has one instance per group (DESIGN.md §7), made
 * by {@link #instance(String)}: named {@code POOL@GROUP}, with the pool's settings, and taking its
 * connections from the pool's classifying dispatcher ({@code accept: handoff}).
 *
 * @param name the pool's name: lower-case letters, digits and {@code -}; {@code POOL@GROUP} for a
 *     group's instance
 * @param workers how many workers: at most 256
 * @param threads event-loop threads per worker, 1 to 64
 * @param accept how workers take connections
 * @param maxRequests connections a worker serves before it is recycled; 0 = never
 * @param hangTimeout heartbeat age after which a worker counts as hung; greater than zero
 * @param drainTimeout how long stopping workers may finish their connections; zero or more
 * @param jvmOptions extra options for the worker JVMs, in order
 * @param spareWorkers worker JVMs kept started beside the pool, attached and waiting for work, so
 *     that a crashed, hung or recycled worker is replaced without a JVM start; 0 to {@value
 *     #MAX_SPARE_WORKERS}
 */
public record PoolConfig(String name, WorkerCount workers, int threads, AcceptStrategy accept, long maxRequests,
                         Duration hangTimeout, Duration drainTimeout, List<String> jvmOptions, int spareWorkers) {

    static final String DEFAULT_NAME = "default";
    static final int MAX_WORKERS = 256;
    static final int MAX_THREADS = 64;
    static final int MAX_SPARE_WORKERS = 8;
    static final WorkerCount DEFAULT_WORKERS = new WorkerCount(2, 2, 2);
    static final int DEFAULT_THREADS = 2;
    static final Duration DEFAULT_HANG_TIMEOUT = Duration.ofSeconds(2);
    static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);

    /**
     * Checks the components and copies the option list.
     *
     * @throws NullPointerException if any reference is null
     * @throws IllegalArgumentException if a number or duration is out of its range or the name is
     *     not valid
     */
    public PoolConfig {
        Objects.requireNonNull(name, "name");
        int at = name.indexOf('@');
        Names.check("pool name", at < 0 ? name : name.substring(0, at));
        if (at >= 0) {
            Names.check("group name", name.substring(at + 1));
        }
        Objects.requireNonNull(workers, "workers");
        Objects.requireNonNull(accept, "accept");
        Objects.requireNonNull(hangTimeout, "hangTimeout");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        jvmOptions = List.copyOf(jvmOptions);
        if (workers.max() > MAX_WORKERS) {
            throw new IllegalArgumentException("at most " + MAX_WORKERS + " workers, got " + workers.max());
        }
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("threads must be 1 to " + MAX_THREADS + ", got " + threads);
        }
        if (maxRequests < 0) {
            throw new IllegalArgumentException("maxRequests must be 0 or more, got " + maxRequests);
        }
        if (hangTimeout.isNegative() || hangTimeout.isZero()) {
            throw new IllegalArgumentException("hangTimeout must be greater than zero, got " + hangTimeout);
        }
        if (drainTimeout.isNegative()) {
            throw new IllegalArgumentException("drainTimeout must not be negative, got " + drainTimeout);
        }
        if (spareWorkers < 0 || spareWorkers > MAX_SPARE_WORKERS) {
            throw new IllegalArgumentException("spareWorkers must be 0 to " + MAX_SPARE_WORKERS + ", got " + spareWorkers);
        }
    }

    /** A pool without spare workers. */
    public PoolConfig(String name, WorkerCount workers, int threads, AcceptStrategy accept, long maxRequests,
                      Duration hangTimeout, Duration drainTimeout, List<String> jvmOptions) {
        this(name, workers, threads, accept, maxRequests, hangTimeout, drainTimeout, jvmOptions, 0);
    }

    /** The pool it is an instance of: the name up to {@code @}, or the whole name. */
    public String base() {
        int at = name.indexOf('@');
        return at < 0 ? name : name.substring(0, at);
    }

    /** The tenant group of an instance ({@code POOL@GROUP}); empty for a pool itself. */
    public java.util.Optional<String> group() {
        int at = name.indexOf('@');
        return at < 0 ? java.util.Optional.empty() : java.util.Optional.of(name.substring(at + 1));
    }

    /**
     * This pool's instance for a tenant group: the same settings, named {@code POOL@GROUP}, fed by
     * the pool's classifying dispatcher.
     *
     * @throws IllegalArgumentException if this is an instance already or the group name is invalid
     */
    public PoolConfig instance(String group) {
        if (group().isPresent()) {
            throw new IllegalArgumentException(name + " is an instance already");
        }
        return new PoolConfig(name + "@" + group, workers, threads, AcceptStrategy.HANDOFF, maxRequests, hangTimeout,
                drainTimeout, jvmOptions, spareWorkers);
    }

    /** A pool with every default: 2 workers of 2 threads, shared accept, no recycling, 2s, 30s, no spare. */
    static PoolConfig defaults(String name) {
        return new PoolConfig(name, DEFAULT_WORKERS, DEFAULT_THREADS, AcceptStrategy.SHARED, 0,
                DEFAULT_HANG_TIMEOUT, DEFAULT_DRAIN_TIMEOUT, List.of());
    }
}
