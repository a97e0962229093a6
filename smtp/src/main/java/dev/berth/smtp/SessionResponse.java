package dev.berth.smtp;

import java.time.Duration;
import java.util.Optional;

/**
 * What {@link SmtpSession#handle} answers: the reply to send (if any), after {@code delay}, what
 * the connection does next, and whether a message was accepted (for the request counter).
 *
 * @param reply the reply, empty for inputs that get none (message content, a BDAT before its chunk)
 * @param next what the handler does after writing it
 * @param delay how long to wait before writing it (error replies after the third)
 * @param delivered a message was accepted with 250
 */
record SessionResponse(Optional<SmtpReply> reply, Next next, Duration delay, boolean delivered) {

    /** What the handler does after a reply. */
    enum Next {
        /** Read the next command. */
        READ,
        /** Read DATA content (after 354). */
        DATA,
        /** Read one AUTH response line (after 334). */
        AUTH_LINE,
        /** Discard buffered input, start the TLS handshake (after 220). */
        START_TLS,
        /** Close the connection after the reply. */
        CLOSE
    }

    static final SessionResponse NONE = new SessionResponse(Optional.empty(), Next.READ, Duration.ZERO, false);

    static SessionResponse of(SmtpReply reply) {
        return new SessionResponse(Optional.of(reply), Next.READ, Duration.ZERO, false);
    }

    static SessionResponse of(SmtpReply reply, Next next) {
        return new SessionResponse(Optional.of(reply), next, Duration.ZERO, false);
    }

    /** 503 5.5.1: a command that is valid but not now (RFC 5321 4.1.4). */
    static SessionResponse outOfSequence(String text) {
        return of(SmtpReply.of(503, "5.5.1", "Error: " + text));
    }

    SessionResponse withDelay(Duration wait) {
        return new SessionResponse(reply, next, wait, delivered);
    }
}
