package dev.berth.child;

import dev.berth.control.ControlChannel;
import dev.berth.control.ControlMessage;
import dev.berth.scoreboard.Scoreboard;
import dev.berth.scoreboard.WorkerSlot;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * A child process attached to its master: its slot claimed, its Hello answered with an
 * assignment. What every {@link ChildRole} starts from. Owned by the main thread; {@link #ready}
 * and {@link #awaitDrain} are called from it.
 */
public interface Child extends AutoCloseable {

    /**
     * Attaches: maps the scoreboard, claims the slot, connects to the master and says Hello.
     * Blocks until the master answers; a spare runs {@code prepare} first, so that its Hello says
     * it is prepared.
     *
     * @param clock monotonic milliseconds, the clock of heartbeats ({@link #clock})
     * @param prepare what a spare does while it waits ({@link ChildRole#prepare})
     * @throws dev.berth.control.ControlException when the master closes the connection first or
     *     answers with something other than an assignment
     * @throws IllegalStateException when the slot is not this child's
     */
    static Child attach(ChildArguments arguments, LongSupplier clock, Runnable prepare) {
        return AttachedChild.attach(arguments, clock, prepare);
    }

    /** The command line it was started with. */
    ChildArguments arguments();

    /** What the master assigned it. */
    ControlMessage.Assignment assignment();

    /**
     * The descriptors that came with the assignment, in its order; owned by the role, which
     * closes those it does not use.
     */
    int[] fds();

    /** The scoreboard, mapped until {@link #close}. */
    Scoreboard scoreboard();

    /** The child's own slot. */
    WorkerSlot slot();

    /** Monotonic milliseconds, the clock heartbeats are stamped with and judged by. */
    LongSupplier clock();

    /** The connection to the master, for roles that say more than Ready. */
    ControlChannel control();

    /** Who it is in log lines: {@code pool=web id=2 gen=3} ({@code id} omitted for 0). */
    String who();

    /** Marks the slot ready and tells the master. */
    void ready();

    /**
     * Blocks until the master asks for a drain or goes away. Other messages are logged and
     * ignored, their descriptors closed.
     *
     * @return the drain timeout in milliseconds, or empty when the master is gone (stop now)
     */
    default OptionalLong awaitDrain() {
        return awaitDrain(message -> false);
    }

    /**
     * Blocks until the master asks for a drain or goes away, giving every other message to
     * {@code others} on the calling thread (their descriptors closed first); one it does not take
     * (returns false) is logged and ignored. For roles the master tells more than Drain (a
     * classifying dispatcher's address claims, a tenant group's address drains).
     *
     * @return the drain timeout in milliseconds, or empty when the master is gone (stop now)
     */
    OptionalLong awaitDrain(java.util.function.Predicate<ControlMessage> others);

    /** Closes the control connection and unmaps the scoreboard. */
    @Override
    void close();
}
