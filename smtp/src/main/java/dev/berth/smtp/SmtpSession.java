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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The SMTP state machine of one connection, without a channel: inputs in, replies out.
 *
 * <pre>
 *  greeting -> [HELO/EHLO] -> ready --MAIL--> mail --RCPT+--> rcpt --DATA (354)--> data --end--> ready
 *                                                             rcpt --BDAT n--> chunk* --BDAT n LAST--> ready
 *  ready --STARTTLS (220)--> (handler starts TLS, calls tlsStarted) -> greeting state again
 *  ready --AUTH--> (334 ... ) -> authenticated
 * </pre>
 *
 * <p>Thread: one call at a time; the handler calls {@link #handle} on the event loop when
 * {@link #blocks} is false and on the connection's ordered executor when true. The session owns
 * its transport and message buffer and releases them in {@link #close()}.
 */
final class SmtpSession implements AutoCloseable {

    private final SessionConfig config;
    private final String clientAddress;
    private final boolean trusted;
    private final Transport transport;
    private final Authenticator authenticator;
    private final Supplier<String> ids;

    private String helo;
    private boolean esmtp;
    private boolean tls;
    private Optional<String> user = Optional.empty();
    private AuthExchange auth;
    private int errors;
    private boolean draining;

    private Transaction.Sender sender;
    private final List<String> recipients = new ArrayList<>();
    private final MessageIntake intake;

    SmtpSession(SessionConfig config, String clientAddress, boolean trusted, Transport transport,
            Authenticator authenticator, Supplier<String> ids, Path spoolDir) {
        this.config = config;
        this.clientAddress = clientAddress;
        this.trusted = trusted;
        this.transport = transport;
        this.authenticator = authenticator;
        this.ids = ids;
        this.intake = new MessageIntake(spoolDir, config.maxMessageSize());
    }

    /** The 220 greeting. */
    SmtpReply greeting() {
        return SmtpReply.plain(220, config.hostname() + " " + config.greeting());
    }

    /** Whether {@link #handle} may block on this input, so that it must run off the event loop. */
    boolean blocks(SmtpInput input) {
        return switch (input) {
            case Content content -> intake.blocksOnContent(content.bytes().readableBytes());
            case DataEnd end -> intake.active();
            case ChunkEnd end -> intake.chunkCompletes();
            case AuthLine line -> true;
            case Auth a -> a.initial().isPresent();
            case Mail m -> transport.blocking();
            case Rcpt r -> transport.blocking();
            case Rset r -> transport.blocking();
            case Helo h -> transport.blocking();
            case Quit q -> transport.blocking();
            default -> false;
        };
    }

    /** Whether a transaction is open (MAIL given and not finished). */
    boolean inTransaction() {
        return sender != null;
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
            try {
                intake.content(content.bytes());
            } finally {
                content.release();
            }
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
            case Mail m -> mail(m);
            case Rcpt r -> rcpt(r);
            case Data d -> data();
            case Bdat b -> bdat(b);
            case DataEnd end -> dataEnd(end);
            case ChunkEnd end -> chunkEnd();
            case Rset r -> {
                reset();
                yield SessionResponse.of(SmtpReply.of(250, "2.0.0", "Ok"));
            }
            case Noop n -> SessionResponse.of(SmtpReply.of(250, "2.0.0", "Ok"));
            case Quit q -> {
                reset();
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

    /** Counts error replies: after the third each is delayed; at the limit 421 4.7.0 and close. */
    private SessionResponse count(SessionResponse response) {
        if (response.reply().isEmpty() || !response.reply().get().isError() || response.next() == SessionResponse.Next.CLOSE) {
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
        reset();
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

    private SessionResponse mail(Mail m) {
        if (helo == null) {
            return bad("Send HELO or EHLO first");
        }
        if (sender != null) {
            return bad("Nested MAIL command");
        }
        Transaction.Sender candidate;
        switch (MailParameters.sender(m.path(), m.params(), config.dsn(), config.maxMessageSize())) {
            case MailParameters.Parsed.Bad<Transaction.Sender> bad -> {
                return SessionResponse.of(bad.reply());
            }
            case MailParameters.Parsed.Ok<Transaction.Sender> ok -> candidate = ok.value();
        }
        SmtpReply reply = transport.mail(candidate, facts());
        if (reply.isPositive()) {
            sender = candidate;
        }
        return SessionResponse.of(reply);
    }

    private SessionResponse rcpt(Rcpt r) {
        if (sender == null) {
            return bad("Need MAIL before RCPT");
        }
        String dsn;
        switch (MailParameters.recipient(r.params(), config.dsn())) {
            case MailParameters.Parsed.Bad<String> bad -> {
                return SessionResponse.of(bad.reply());
            }
            case MailParameters.Parsed.Ok<String> ok -> dsn = ok.value();
        }
        if (!sender.utf8() && !MailAddress.isAscii(r.path())) {
            return SessionResponse.of(SmtpReply.of(553, "5.6.7", "Non-ASCII address needs SMTPUTF8"));
        }
        if (recipients.size() >= config.maxRecipients()) {
            return SessionResponse.of(SmtpReply.of(452, "4.5.3", "Too many recipients"));
        }
        String path = r.path().equalsIgnoreCase("postmaster") ? config.postmaster() : r.path();
        boolean local = r.path().equalsIgnoreCase("postmaster") || config.localDomain().test(MailAddress.domain(path));
        if (!local && user.isEmpty() && !trusted) {
            return SessionResponse.of(SmtpReply.of(554, "5.7.1", "<" + r.path() + ">: Relay access denied"));
        }
        if (!local && !config.relayTo()) {
            return SessionResponse.of(SmtpReply.of(550, "5.7.1", "<" + r.path() + ">: Relaying not configured"));
        }
        SmtpReply reply = transport.rcpt(path, local, dsn);
        if (reply.isPositive()) {
            recipients.add(path);
        }
        return SessionResponse.of(reply);
    }

    private SessionResponse data() {
        Optional<SmtpReply> refused = intake.startData(refusal());
        if (refused.isPresent()) {
            return SessionResponse.of(refused.get());
        }
        return SessionResponse.of(SmtpReply.plain(354, "End data with <CR><LF>.<CR><LF>"), SessionResponse.Next.DATA);
    }

    /** Why DATA or BDAT cannot start now, if it cannot. */
    private Optional<SmtpReply> refusal() {
        if (sender == null) {
            return Optional.of(SmtpReply.of(503, "5.5.1", "Error: Need MAIL command"));
        }
        if (recipients.isEmpty()) {
            return Optional.of(SmtpReply.of(554, "5.5.1", "No valid recipients"));
        }
        return Optional.empty();
    }

    private SessionResponse dataEnd(DataEnd end) {
        if (!intake.active()) {
            return SessionResponse.NONE;
        }
        return switch (end.problem()) {
            case BARE_LINE_END -> finish(Optional.of(SmtpReply.of(550, "5.6.11", "Bare CR or LF in message data; use CRLF")));
            case LINE_TOO_LONG -> finish(Optional.of(SmtpReply.of(500, "5.5.6", "Message line longer than 1000 octets")));
            case NONE -> finish(Optional.empty());
        };
    }

    private SessionResponse bdat(Bdat b) {
        intake.startChunk(b.last(), refusal());
        return SessionResponse.NONE;
    }

    private SessionResponse chunkEnd() {
        return intake.chunkEnd().map(SessionResponse::of).orElseGet(() -> finish(Optional.empty()));
    }

    /** Ends the transaction: rejects with {@code rejection}, or delivers. */
    private SessionResponse finish(Optional<SmtpReply> rejection) {
        MessageBuffer message = intake.message();
        SmtpReply reply;
        if (rejection.isPresent()) {
            reply = rejection.get();
        } else if (message.tooBig()) {
            reply = SmtpReply.of(552, "5.3.4", "Message size exceeds fixed limit");
        } else if (message.failed()) {
            reply = SmtpReply.of(451, "4.3.0", "Local error in processing");
        } else {
            Transaction tx = new Transaction(ids.get(), facts(), sender, recipients);
            reply = transport.deliver(tx, message);
        }
        boolean delivered = rejection.isEmpty() && reply.code() == 250;
        reset();
        return new SessionResponse(Optional.of(reply), SessionResponse.Next.READ, Duration.ZERO, delivered);
    }

    private Transaction.ClientFacts facts() {
        return new Transaction.ClientFacts(clientAddress, helo, esmtp, tls, user.isPresent());
    }

    private SessionResponse startTls() {
        if (!config.tlsOffered()) {
            return SessionResponse.of(SmtpReply.of(502, "5.5.1", "STARTTLS not offered"));
        }
        if (tls) {
            return bad("TLS already active");
        }
        if (sender != null) {
            return bad("STARTTLS inside a mail transaction");
        }
        return SessionResponse.of(SmtpReply.of(220, "2.0.0", "Ready to start TLS"), SessionResponse.Next.START_TLS);
    }

    /** The TLS handshake is under way: forget everything the client said before (RFC 3207 4.2). */
    void tlsStarted() {
        reset();
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
            return bad("Send EHLO first");
        }
        if (user.isPresent()) {
            return bad("Already authenticated");
        }
        if (sender != null) {
            return bad("AUTH inside a mail transaction");
        }
        if (!authAllowed()) {
            return SessionResponse.of(SmtpReply.of(538, "5.7.11", "Encryption required for requested authentication mechanism"));
        }
        if (!a.mechanism().equals("PLAIN") && !a.mechanism().equals("LOGIN")) {
            return SessionResponse.of(SmtpReply.of(504, "5.5.4", "Unrecognized authentication mechanism"));
        }
        auth = new AuthExchange(a.mechanism(), authenticator);
        return authStep(auth.start(a.initial()));
    }

    private SessionResponse authLine(AuthLine line) {
        if (auth == null) {
            return bad("No AUTH in progress");
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

    private SessionResponse bad(String text) {
        return SessionResponse.of(SmtpReply.of(503, "5.5.1", "Error: " + text));
    }

    /** Abandons the transaction. */
    private void reset() {
        if (sender != null) {
            transport.reset();
        }
        sender = null;
        recipients.clear();
        intake.close();
    }

    /** Releases the message buffer and the transport. Blocking when the transport blocks. */
    @Override
    public void close() {
        reset();
        transport.close();
    }
}
