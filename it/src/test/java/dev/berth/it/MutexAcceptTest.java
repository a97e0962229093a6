package dev.berth.it;

/** The accept contract for {@code accept: mutex}. */
class MutexAcceptTest extends AcceptContract {

    @Override
    String accept() {
        return "mutex";
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
