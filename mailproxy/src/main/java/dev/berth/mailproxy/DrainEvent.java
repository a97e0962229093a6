package dev.berth.mailproxy;

/**
 * The user event that {@link ProxyServiceHandler#onDrain} fires into every open connection: a
 * connection still at the login prompt says goodbye and closes (at once, or when its pending
 * upstream login fails); a relayed session is left to finish, since its client is mid-session.
 */
enum DrainEvent {
    INSTANCE
}
