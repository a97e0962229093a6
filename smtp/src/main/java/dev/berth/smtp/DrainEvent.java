package dev.berth.smtp;

/** Fired into each connection's pipeline when the service drains. */
enum DrainEvent {
    INSTANCE
}
