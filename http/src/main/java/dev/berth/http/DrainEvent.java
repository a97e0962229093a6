package dev.berth.http;

/**
 * The user event that {@link HttpServiceHandler#onDrain} fires into every open connection's
 * pipeline: a connection between requests closes at once, one inside a request closes after its
 * response.
 */
enum DrainEvent {
    INSTANCE
}
