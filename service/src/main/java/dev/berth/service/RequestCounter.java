package dev.berth.service;

/**
 * Counts finished requests into the worker's scoreboard slot ({@code served} in status). What a
 * request is belongs to the kind: an HTTP response, an SMTP transaction, an echo connection.
 */
@FunctionalInterface
public interface RequestCounter {

    /** Adds one finished request. Thread-safe and wait-free; called from any event loop thread. */
    void requestServed();
}
