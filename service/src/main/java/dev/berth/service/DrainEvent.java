package dev.berth.service;

/**
 * The user event that {@link OpenConnections#drain} fires into every open connection's pipeline,
 * on that connection's event loop: the protocol ends the connection at its next clean point
 * (HTTP after the response in flight, SMTP with 421 outside a transaction, POP3 before login).
 */
public enum DrainEvent {
    /** The only value. */
    INSTANCE
}
