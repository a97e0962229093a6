package dev.berth.it;

/** The accept contract for {@code accept: mutex}. */
class MutexAcceptTest extends AcceptContract {

    @Override
    String accept() {
        return "mutex";
    }

    /**
     * Who takes the lock after a release is whichever waiter the scheduler runs first, as for
     * {@code shared} who returns to accept(2) first (DESIGN.md §2 asks evenness of handoff only):
     * with the test's own clients on the same two cores, clean-clone CI measured up to 1.24 (usually
     * 1.00-1.05).
     */
    @Override
    double balanceTolerance() {
        return 1.3;
    }

    /** The holder takes up to four connections per turn, so a burst lands in steps of four. */
    @Override
    double burstTolerance() {
        return 2.0;
    }

    /**
     * A worker stopped while it holds the accept lock stalls every acceptor until the master kills
     * it (DESIGN.md §2 allows up to the hang timeout); one stopped without the lock stalls nothing.
     */
    @Override
    boolean stoppedWorkerHoldsItsQueue() {
        return true;
    }
}
