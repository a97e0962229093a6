package dev.berth.worker;

/**
 * The worker's side of an accept strategy: what takes connections from listening sockets (a thread
 * of its own, or a registration in an event loop) and hands them to a {@link ConnectionIntake}.
 * Lifecycle calls come from the worker's main thread.
 */
interface Acceptor {

    /** Starts accepting. */
    void start();

    /** Asks it to stop after its current wait; returns at once. */
    void stop();

    /** Waits until it has stopped; after this it takes no more connections. */
    void join() throws InterruptedException;
}
