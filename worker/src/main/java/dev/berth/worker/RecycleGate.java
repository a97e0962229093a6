package dev.berth.worker;

import dev.berth.scoreboard.WorkerSlot;

/**
 * Whether a worker that is to be recycled may still take connections: a worker past its recycle
 * limit (written into its slot by the master: max-requests plus jitter) stops accepting as soon as
 * a sibling of its pool is ready to take its share, instead of accepting on until its replacement
 * is ready (PHP-FPM's {@code pm.max_requests} as its users read it). Without a ready sibling it
 * goes on, so the pool never stops accepting; the overshoot then is what it takes while its
 * replacement starts, and status shows it per worker.
 *
 * <p>Used by one acceptor thread (it holds a {@link PeerLoad}); cheap when there is no limit (one
 * read of the slot) or the limit is far (two).
 */
final class RecycleGate {

    private final WorkerSlot slot;
    private final PeerLoad peers;

    RecycleGate(WorkerSlot slot, PeerLoad peers) {
        this.slot = slot;
        this.peers = peers;
    }

    /** Whether the worker may accept another connection now. */
    boolean open() {
        long limit = slot.acceptLimit();
        return limit == 0 || slot.accepted() < limit || !peers.anyReadyPeer();
    }
}
