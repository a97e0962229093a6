package dev.berth.master;

import java.util.Objects;

/**
 * Who a child process is, for the master, the logs and status.
 *
 * @param role worker or dispatcher
 * @param pool its pool
 * @param id a worker's id in its pool (1-based, reused by replacements); 0 for a dispatcher
 * @param generation the config generation it serves
 */
record ChildIdentity(Role role, String pool, int id, long generation) {

    /** Checks the arguments. */
    ChildIdentity {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(pool, "pool");
    }
}
