package dev.berth.it;

/** The accept contract for {@code accept: reuseport}. */
class ReuseportAcceptTest extends AcceptContract {

    @Override
    String accept() {
        return "reuseport";
    }

    /** The kernel hashes connections to the stopped worker's own socket; they wait for its kill. */
    @Override
    boolean stoppedWorkerHoldsItsQueue() {
        return true;
    }
}
