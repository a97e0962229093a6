package dev.berth.worker;

/**
 * The worker's side of an accept strategy: a thread that takes connections from listening
 * sockets and hands them to a {@link ConnectionIntake}. Lifecycle calls come from the worker's
 * main thread.
 */
interface Acceptor {

    /** Starts the accepting thread. */
    void start();

    /** Asks it to stop after its current wait; returns at once. */
    void stop();

    /** Waits until it has stopped; after this it takes no more connections. */
    void join() throws InterruptedException;
}
