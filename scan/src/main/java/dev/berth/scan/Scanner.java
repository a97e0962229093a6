package dev.berth.scan;

/**
 * One configured scanner. Blocking: {@link #scan} is called on a worker's blocking executor or
 * a virtual thread, never on an event loop, and concurrently from many threads, so
 * implementations are thread-safe.
 *
 * <p>A scanner never throws for a scanning failure (peer down, timeout, error reply, unreadable
 * content): it returns {@link Verdict.Unavailable} with the reason. It throws only for a
 * programming error, such as a null argument.
 */
public interface Scanner extends AutoCloseable {

    /** The scanner's name, its key under {@code scanners:}; every verdict it returns carries it. */
    String name();

    /**
     * Scans a whole message. Blocks for up to the scanner's timeout (plus reading the content).
     *
     * @param message the message; opened at least once, never retained after the call
     * @return the verdict, never null
     */
    Verdict scan(MessageContent message);

    /**
     * Scans a whole message with what the service knows about its envelope; scanners that do not
     * use the envelope (the default) ignore it.
     */
    default Verdict scan(MessageContent message, Envelope envelope) {
        return scan(message);
    }

    /**
     * Releases what the scanner holds (an HTTP client, say). Idempotent; scans still running may
     * fail with {@link Verdict.Unavailable}. Never throws.
     */
    @Override
    default void close() {
    }
}
