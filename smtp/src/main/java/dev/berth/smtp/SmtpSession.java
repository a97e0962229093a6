package dev.berth.smtp;

import dev.berth.smtp.SmtpInput.Auth;
import dev.berth.smtp.SmtpInput.AuthLine;
import dev.berth.smtp.SmtpInput.Bdat;
import dev.berth.smtp.SmtpInput.ChunkEnd;
import dev.berth.smtp.SmtpInput.Content;
import dev.berth.smtp.SmtpInput.Data;
import dev.berth.smtp.SmtpInput.DataEnd;
import dev.berth.smtp.SmtpInput.Helo;
import dev.berth.smtp.SmtpInput.Help;
import dev.berth.smtp.SmtpInput.Invalid;
import dev.berth.smtp.SmtpInput.Mail;
import dev.berth.smtp.SmtpInput.Noop;
import dev.berth.smtp.SmtpInput.Quit;
import dev.berth.smtp.SmtpInput.Rcpt;
import dev.berth.smtp.SmtpInput.Rset;
import dev.berth.smtp.SmtpInput.StartTls;
import dev.berth.smtp.SmtpInput.Unknown;
import dev.berth.smtp.SmtpInput.Vrfy;
import dev.berth.scan.Spool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The SMTP state machine of one connection, without a channel: inputs in, replies out. It keeps
 * what the connection is (HELO name, TLS, authenticated user, error count, draining) and answers
 * the connection-level commands itself; the envelope and the message (MAIL, RCPT, DATA, BDAT) go
 * to its {@link MailTransaction}.
 *
 * <pre>
 *  greeting -> [HELO/EHLO] -> ready --MAIL ... end of message (MailTransaction)--> ready
 *  ready --STARTTLS (220)--> (handler starts TLS, calls tlsStarted) -> greeting state again
 *  ready --AUTH--> (334 ... ) -> authenticated
 *  any --RSET/HELO--> transaction abandoned;  any --QUIT (221)--> closed
 * </pre>
 *
 * <p>Thread: one call at a time; the handler calls {@link #handle} on the event loop when
 * {@link #blocks} is false and on the connection's ordered executor when true. The session owns
 * its transaction (and through it the transport and message buffer) and releases them in
 * {@link #close()}. Protocol errors are replies; after {@code limits.errors} of them the reply is
 * 421 4.7.0 and the connection closes.
 */
final class SmtpSession implements AutoCloseable {

    /** The answer to AUTH from a client with too many recent failures ({@link AuthThrottle}). */
    static final SmtpReply TOO_MANY_AUTH_FAILURES = SmtpReply.of(454, "4.7.0",
            "Too many failed authentications from your address, try again later");

    private final SessionConfig config;
    private final String clientAddress;
    private final boolean trusted;
    private final Authenticator authenticator;
    private final MailTransaction transaction;

    private String helo;
    private boolean esmtp;
    private boolean tls;
    private Optional<String> user = Optional.empty();
    private AuthExchange auth;
    private int errors;
    private boolean draining;

    SmtpSession(SessionConfig config, String clientAddress, boolean trusted, Transport transport,
            Authenticator authenticator, Supplier<String> ids, Spool spool) {
        this.config = config;
        this.clientAddress = clientAddress;
        this.trusted = trusted;
        this.authenticator = authenticator;
        this.transaction = new MailTransaction(config, transport, ids, spool);
    }

    /** The 220 greeting. */
    SmtpReply greeting() {
        return SmtpReply.plain(220, config.hostname() + " " + config.greeting());
    }

    /** Whether {@link #handle} may block on this input, so that it must run off the event loop. */
    boolean blocks(SmtpInput input) {
        return switch (input) {
            case AuthLine line -> true;
            case Auth a -> a.initial().isPresent();
            default -> transaction.blocks(input);
        };
    }

    /** Whether a transaction is open (MAIL given and not finished). */
    boolean inTransaction() {
        return transaction.open();
    }

    /** The 421 4.3.2 sent when the service drains. */
    SmtpReply shutdownReply() {
        return SmtpReply.of(421, "4.3.2", config.hostname() + " Service shutting down, closing transmission channel");
    }

    /** Marks the service draining: the next command outside a transaction gets 421 4.3.2. */
    void drain() {
        draining = true;
    }

    /** Handles one input; Content is released here. */
    SessionResponse handle(SmtpInput input) {
        if (input instanceof Content content) {
            transaction.content(content);
            return SessionResponse.NONE;
        }
        if (draining && !inTransaction() && !(input instanceof AuthLine) && !(input instanceof Quit)) {
            return SessionResponse.of(shutdownReply(), SessionResponse.Next.CLOSE);
        }
        return count(dispatch(input));
    }

    private SessionResponse dispatch(SmtpInput input) {
        return switch (input) {
            case Helo h -> helo(h);
            case Mail m -> helo == null ? SessionResponse.outOfSequence("Send HELO or EHLO first") : transaction.mail(m, facts());
            case Rcpt r -> transaction.rcpt(r, user.isPresent() || trusted);
            case Data d -> transaction.data();
            case Bdat b -> transaction.bdat(b);
            case DataEnd end -> transaction.dataEnd(end, facts());
            case ChunkEnd end -> transaction.chunkEnd(facts());
            case Rset r -> {
                transaction.reset();
                yield SessionResponse.of(SmtpReply.of(250, "2.0.0", "Ok"));
            }
            case Noop n -> SessionResponse.of(SmtpReply.of(250, "2.0.0", "Ok"));
            case Quit q -> {
                transaction.reset();
                yield SessionResponse.of(SmtpReply.of(221, "2.0.0", config.hostname() + " Bye"), SessionResponse.Next.CLOSE);
            }
            case Vrfy v -> SessionResponse.of(SmtpReply.of(252, "2.5.0", "Cannot VRFY user, but will accept message and attempt delivery"));
            case Help h -> SessionResponse.of(SmtpReply.of(214, "2.0.0", "See RFC 5321; commands: HELO EHLO MAIL RCPT DATA BDAT RSET NOOP VRFY HELP QUIT STARTTLS AUTH"));
            case StartTls s -> startTls();
            case Auth a -> auth(a);
            case AuthLine line -> authLine(line);
            case Unknown u -> SessionResponse.of(SmtpReply.of(500, "5.5.2", "Error: command not recognized"));
            case Invalid invalid -> {
                auth = null;
                yield SessionResponse.of(invalid.reply());
            }
            case Content content -> SessionResponse.NONE;
        };
    }

    /**
     * Counts error replies: after the third each is delayed; at the limit 421 4.7.0 and close.
     * {@link MailTransaction#TOO_MANY_RECIPIENTS} is no error: closing would lose the recipients
     * already accepted.
     */
    private SessionResponse count(SessionResponse response) {
        if (response.reply().isEmpty() || !response.reply().get().isError() || response.next() == SessionResponse.Next.CLOSE
                || response.reply().get().equals(MailTransaction.TOO_MANY_RECIPIENTS)) {
            return response;
        }
        errors++;
        if (errors >= config.maxErrors()) {
            return SessionResponse.of(SmtpReply.of(421, "4.7.0", config.hostname() + " Too many errors, closing connection"), SessionResponse.Next.CLOSE);
        }
        Duration delay = errors > 3 ? config.errorDelay() : Duration.ZERO;
        return response.withDelay(delay);
    }

    private SessionResponse helo(Helo h) {
        transaction.reset();
        helo = h.domain();
        esmtp = h.extended();
        if (!h.extended()) {
            return SessionResponse.of(SmtpReply.plain(250, config.hostname()));
        }
        List<String> lines = new ArrayList<>();
        lines.add(config.hostname() + " Hello " + h.domain());
        lines.addAll(config.keywords(tls, authAllowed()));
        return SessionResponse.of(new SmtpReply(250, "", lines));
    }

    private boolean authAllowed() {
        return config.authOffered() && (tls || !config.authRequiresTls());
    }

    private Transaction.ClientFacts facts() {
        return new Transaction.ClientFacts(clientAddress, helo, esmtp, tls, user.isPresent());
    }

    private SessionResponse startTls() {
        if (!config.tlsOffered()) {
            return SessionResponse.of(SmtpReply.of(502, "5.5.1", "STARTTLS not offered"));
        }
        if (tls) {
            return SessionResponse.outOfSequence("TLS already active");
        }
        if (inTransaction()) {
            return SessionResponse.outOfSequence("STARTTLS inside a mail transaction");
        }
        return SessionResponse.of(SmtpReply.of(220, "2.0.0", "Ready to start TLS"), SessionResponse.Next.START_TLS);
    }

    /** The TLS handshake is under way: forget everything the client said before (RFC 3207 4.2). */
    void tlsStarted() {
        transaction.reset();
        tls = true;
        helo = null;
        esmtp = false;
        user = Optional.empty();
    }

    private SessionResponse auth(Auth a) {
        if (!config.authOffered()) {
            return SessionResponse.of(SmtpReply.of(502, "5.5.1", "AUTH not offered"));
        }
        if (helo == null || !esmtp) {
            return SessionResponse.outOfSequence("Send EHLO first");
        }
        if (user.isPresent()) {
            return SessionResponse.outOfSequence("Already authenticated");
        }
        if (inTransaction()) {
            return SessionResponse.outOfSequence("AUTH inside a mail transaction");
        }
        if (!authAllowed()) {
            return SessionResponse.of(SmtpReply.of(538, "5.7.11", "Encryption required for requested authentication mechanism"));
        }
        if (!a.mechanism().equals("PLAIN") && !a.mechanism().equals("LOGIN")) {
            return SessionResponse.of(SmtpReply.of(504, "5.5.4", "Unrecognized authentication mechanism"));
        }
        if (!authenticator.mayTry()) {
            return SessionResponse.of(TOO_MANY_AUTH_FAILURES);
        }
        auth = new AuthExchange(a.mechanism(), authenticator);
        return authStep(auth.start(a.initial()));
    }

    private SessionResponse authLine(AuthLine line) {
        if (auth == null) {
            return SessionResponse.outOfSequence("No AUTH in progress");
        }
        return authStep(auth.respond(line.line()));
    }

    private SessionResponse authStep(AuthExchange.Step step) {
        return switch (step) {
            case AuthExchange.Step.Challenge c -> SessionResponse.of(SmtpReply.plain(334, c.base64()), SessionResponse.Next.AUTH_LINE);
            case AuthExchange.Step.Done d -> {
                auth = null;
                user = d.user();
                yield SessionResponse.of(d.reply());
            }
        };
    }

    /** Releases the transaction, its message buffer and the transport. Blocking when the transport blocks. */
    @Override
    public void close() {
        transaction.close();
    }
}
