package dev.berth.testpeers;

/**
 * A real peer could not be started, did not become ready in time, or a command failed. The
 * message carries the peer's own output or log, so a failing test shows why.
 */
public final class PeerException extends RuntimeException {

    /** A failure described by {@code message}. Any thread. */
    public PeerException(String message) {
        super(message);
    }

    /** A failure described by {@code message}, caused by {@code cause}. Any thread. */
    public PeerException(String message, Throwable cause) {
        super(message, cause);
    }
}
