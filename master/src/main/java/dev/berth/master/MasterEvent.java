package dev.berth.master;

import java.util.Optional;

/**
 * Something the master did or saw that an operator wants to know, one log line each: children
 * starting, ready, restarted (and why), exiting; pools resized (and why) or throttled; reloads.
 * Made on the supervisor thread; immutable.
 */
public sealed interface MasterEvent {

    /** A one-word name of the event for logs and pages: {@code started}, {@code restart}, ... */
    String name();

    /** The pool it concerns; empty for the master as a whole. */
    Optional<String> pool();

    /** The child it concerns, if one. */
    default Optional<Child> child() {
        return Optional.empty();
    }

    /** The short reason, such as a {@link RestartCause} label, if the event has one. */
    default Optional<String> cause() {
        return Optional.empty();
    }

    /** What happened, in words. */
    String message();

    /**
     * A child process as events name it.
     *
     * @param pool its pool
     * @param role {@code worker}, {@code dispatcher} or {@code mesh}
     * @param id a worker's id in its pool; 0 for a dispatcher
     * @param pid its process id
     * @param generation the config generation it serves
     */
    record Child(String pool, String role, int id, long pid, long generation) {

        static Child of(WorkerProcess process) {
            return new Child(process.pool(), process.role().name().toLowerCase(java.util.Locale.ROOT),
                    process.id(), process.pid(), process.generation());
        }

        /** {@code pool=web id=2 pid=4242 gen=3}, or {@code dispatcher} instead of the id. */
        @Override
        public String toString() {
            return "pool=" + pool + ("worker".equals(role) ? " id=" + id : " " + role) + " pid=" + pid
                    + " gen=" + generation;
        }
    }

    /** A child was started, and why ("pool below its size", "replacing hung ..."). */
    record Started(Child process, String reason) implements MasterEvent {
        public String name() { return "started"; }
        public Optional<String> pool() { return Optional.of(process.pool()); }
        public Optional<Child> child() { return Optional.of(process); }
        public String message() { return "starting (" + reason + ")"; }
    }

    /** A child said it is ready, {@code startMillis} after it was spawned. */
    record Ready(Child process, long startMillis) implements MasterEvent {
        public String name() { return "ready"; }
        public Optional<String> pool() { return Optional.of(process.pool()); }
        public Optional<Child> child() { return Optional.of(process); }
        public String message() { return "ready in " + startMillis + " ms"; }
    }

    /** A child leaves its pool for {@code restartCause}; a replacement follows if the pool wants one. */
    record Restart(Child process, RestartCause restartCause, String detail) implements MasterEvent {
        public String name() { return "restart"; }
        public Optional<String> pool() { return Optional.of(process.pool()); }
        public Optional<Child> child() { return Optional.of(process); }
        public Optional<String> cause() { return Optional.of(restartCause.label()); }
        public String message() { return detail; }
    }

    /** A child that was leaving on purpose (drained, killed by the master) has exited. */
    record Exited(Child process, String how) implements MasterEvent {
        public String name() { return "exited"; }
        public Optional<String> pool() { return Optional.of(process.pool()); }
        public Optional<Child> child() { return Optional.of(process); }
        public String message() { return "exited " + how; }
    }

    /** The pool's sizer chose another size. */
    record Resized(String poolName, int from, int to, String reason) implements MasterEvent {
        public String name() { return "resized"; }
        public Optional<String> pool() { return Optional.of(poolName); }
        public Optional<String> cause() { return Optional.of(to > from ? "grow" : "shrink"); }
        public String message() { return reason; }
    }

    /** The pool is crash-looping: restarts are slowed (never stopped). */
    record Throttled(String poolName, String detail) implements MasterEvent {
        public String name() { return "throttled"; }
        public Optional<String> pool() { return Optional.of(poolName); }
        public Optional<String> cause() { return Optional.of("crash-loop"); }
        public String message() { return detail; }
    }

    /** A reload was accepted ({@code ok}) or refused; either way, what the master runs now. */
    record Reloaded(long generation, boolean ok, String detail) implements MasterEvent {
        public String name() { return ok ? "reloaded" : "reload-refused"; }
        public Optional<String> pool() { return Optional.empty(); }
        public Optional<String> cause() { return Optional.of("reload"); }
        public String message() { return detail; }
    }
}
