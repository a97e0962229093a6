package dev.berth.worker;

import dev.berth.scoreboard.WorkerSlot;
import java.util.function.LongSupplier;

/**
 * What every acceptor of a worker shares. Thread-safe: each acceptor thread uses it at once.
 *
 * @param intake where accepted connections go
 * @param slot the worker's slot: heartbeats and counters
 * @param clock monotonic milliseconds, the heartbeats' clock
 * @param peers this worker's load against its siblings'; each acceptor that yields makes its own
 *     {@link PeerLoad#copy} since a PeerLoad belongs to one thread
 */
record AcceptContext(ConnectionIntake intake, WorkerSlot slot, LongSupplier clock, PeerLoad peers) {

    /** Stamps heartbeat entry {@code entry} with the clock's time: the thread is alive and not stuck. */
    void beat(int entry) {
        slot.beat(entry, clock.getAsLong());
    }

    /** Marks entry {@code entry} "waiting on something outside the worker", which is not judged. */
    void waitingOutside(int entry) {
        slot.beat(entry, Long.MAX_VALUE);
    }
}
