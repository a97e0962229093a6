package dev.berth.it;

/** The accept contract for {@code accept: reuseport}. */
class ReuseportAcceptTest extends AcceptContract {

    @Override
    String accept() {
        return "reuseport";
    }

    /** The kernel's hash ignores load: 60 connections over 2 sockets land unevenly by chance. */
    @Override
    double burstTolerance() {
        return 3.0;
    }

    /** The kernel hashes connections to the stopped worker's own socket; they wait for its kill. */
    @Override
    boolean stoppedWorkerHoldsItsQueue() {
        return true;
    }
}
