package dev.berth.pop3;

import java.time.Duration;
import java.util.Objects;

/**
 * The result of {@link Pop3Session#handle}: the reply, what the connection does after it, and
 * how long to hold the reply back (a failed login's delay, waited out on a timer, never by
 * blocking a thread).
 *
 * @param reply the reply to write
 * @param next what follows the reply
 * @param delay how long to wait before writing it; zero for at once
 */
record Outcome(Pop3Reply reply, Next next, Duration delay) {

    /** Checks the arguments. */
    Outcome {
        Objects.requireNonNull(reply, "reply");
        Objects.requireNonNull(next, "next");
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay: negative: " + delay);
        }
    }

    /** A reply written at once, then the next command is read. */
    static Outcome reply(Pop3Reply reply) {
        return new Outcome(reply, Next.COMMAND, Duration.ZERO);
    }

    /** A reply written at once, then the connection closes. */
    static Outcome close(Pop3Reply reply) {
        return new Outcome(reply, Next.CLOSE, Duration.ZERO);
    }

    /** What the connection does once the reply is written. */
    enum Next {
        /** Read the next line as a command. */
        COMMAND,
        /** Read the next line as a SASL response (after a {@code +} continuation). */
        SASL_RESPONSE,
        /** Start TLS: discard buffered plaintext, then handshake (the reply goes out in plaintext). */
        START_TLS,
        /** Close the connection once the reply is flushed. */
        CLOSE
    }
}
