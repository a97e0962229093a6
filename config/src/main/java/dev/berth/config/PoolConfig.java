package dev.berth.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One pool of worker JVMs and how they are supervised. Immutable and thread-safe.
 *
 * @param name the pool's name: lower-case letters, digits and {@code -}
 * @param workers how many workers: at most 256
 * @param threads event-loop threads per worker, 1 to 64
 * @param accept how workers take connections
 * @param maxRequests connections a worker serves before it is recycled; 0 = never
 * @param hangTimeout heartbeat age after which a worker counts as hung; greater than zero
 * @param drainTimeout how long stopping workers may finish their connections; zero or more
 * @param jvmOptions extra options for the worker JVMs, in order
 */
public record PoolConfig(String name, WorkerCount workers, int threads, AcceptStrategy accept, long maxRequests,
                         Duration hangTimeout, Duration drainTimeout, List<String> jvmOptions) {

    static final String DEFAULT_NAME = "default";
    static final int MAX_WORKERS = 256;
    static final int MAX_THREADS = 64;
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
        Names.check("pool name", Objects.requireNonNull(name, "name"));
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
    }

    /** A pool with every default: 2 workers of 2 threads, shared accept, no recycling, 2s, 30s. */
    static PoolConfig defaults(String name) {
        return new PoolConfig(name, DEFAULT_WORKERS, DEFAULT_THREADS, AcceptStrategy.SHARED, 0,
                DEFAULT_HANG_TIMEOUT, DEFAULT_DRAIN_TIMEOUT, List.of());
    }
}
