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

    /** What the handler does after a reply. */
    enum Next { READ, DATA, AUTH_LINE, START_TLS, CLOSE }

    /** The reply to send (if any), after {@code delay}, and what comes next. */
    record Response(Optional<SmtpReply> reply, Next next, Duration delay, boolean delivered) {
        static final Response NONE = new Response(Optional.empty(), Next.READ, Duration.ZERO, false);

        static Response of(SmtpReply reply) {
            return new Response(Optional.of(reply), Next.READ, Duration.ZERO, false);
        }

        static Response of(SmtpReply reply, Next next) {
            return new Response(Optional.of(reply), next, Duration.ZERO, false);
        }

        Response withDelay(Duration wait) {
            return new Response(reply, next, wait, delivered);
        }
    }

    private final SessionConfig config;
    private final String clientAddress;
    private final boolean trusted;
    private final Transport transport;
    private final Authenticator authenticator;
    private final Supplier<String> ids;
    private final Path spoolDir;

    private String helo;
    private boolean esmtp;
    private boolean tls;
    private Optional<String> user = Optional.empty();
    private AuthExchange auth;
    private int errors;
    private boolean draining;

    private Transaction.Sender sender;
    private final List<String> recipients = new ArrayList<>();
    private MessageBuffer message;
    private boolean chunking;
    private SmtpReply chunkFailure;
    private boolean chunkLast;

    SmtpSession(SessionConfig config, String clientAddress, boolean trusted, Transport transport,
            Authenticator authenticator, Supplier<String> ids, Path spoolDir) {
        this.config = config;
        this.clientAddress = clientAddress;
        this.trusted = trusted;
        this.transport = transport;
        this.authenticator = authenticator;
        this.ids = ids;
        this.spoolDir = spoolDir;
    }

    /** The 220 greeting. */
    SmtpReply greeting() {
        return SmtpReply.plain(220, config.hostname() + " " + config.greeting());
    }

    /** Whether {@link #handle} may block on this input, so that it must run off the event loop. */
    boolean blocks(SmtpInput input) {
        return switch (input) {
            case Content content -> message != null && chunkFailure == null && message.wouldBlock(content.bytes().readableBytes());
            case DataEnd end -> message != null;
            case ChunkEnd end -> chunkLast && chunkFailure == null && message != null;
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

    /** Marks the service draining: the next command outside a transaction gets 421 4.3.2. */
    void drain() {
        draining = true;
    }

    /** Handles one input; Content is released here. */
    Response handle(SmtpInput input) {
        if (input instanceof Content content) {
            try {
                if (message != null && chunkFailure == null) {
                    message.append(content.bytes());
                }
            } finally {
                content.release();
            }
            return Response.NONE;
        }
        if (draining && !inTransaction() && !(input instanceof AuthLine) && !(input instanceof Quit)) {
            return Response.of(SmtpReply.of(421, "4.3.2", config.hostname() + " Service shutting down, closing transmission channel"), Next.CLOSE);
        }
        return count(dispatch(input));
    }

    private Response dispatch(SmtpInput input) {
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
                yield Response.of(SmtpReply.of(250, "2.0.0", "Ok"));
            }
            case Noop n -> Response.of(SmtpReply.of(250, "2.0.0", "Ok"));
            case Quit q -> {
                reset();
                yield Response.of(SmtpReply.of(221, "2.0.0", config.hostname() + " Bye"), Next.CLOSE);
            }
            case Vrfy v -> Response.of(SmtpReply.of(252, "2.5.0", "Cannot VRFY user, but will accept message and attempt delivery"));
            case Help h -> Response.of(SmtpReply.of(214, "2.0.0", "See RFC 5321; commands: HELO EHLO MAIL RCPT DATA BDAT RSET NOOP VRFY HELP QUIT STARTTLS AUTH"));
            case StartTls s -> startTls();
            case Auth a -> auth(a);
            case AuthLine line -> authLine(line);
            case Unknown u -> Response.of(SmtpReply.of(500, "5.5.2", "Error: command not recognized"));
            case Invalid invalid -> Response.of(invalid.reply());
            case Content content -> Response.NONE;
        };
    }

    /** Counts error replies: after the third each is delayed; at the limit 421 4.7.0 and close. */
    private Response count(Response response) {
        if (response.reply().isEmpty() || !response.reply().get().isError() || response.next() == Next.CLOSE) {
            return response;
        }
        errors++;
        if (errors >= config.maxErrors()) {
            return Response.of(SmtpReply.of(421, "4.7.0", config.hostname() + " Too many errors, closing connection"), Next.CLOSE);
        }
        Duration delay = errors > 3 ? config.errorDelay() : Duration.ZERO;
        return response.withDelay(delay);
    }

    private Response helo(Helo h) {
        reset();
        helo = h.domain();
        esmtp = h.extended();
        if (!h.extended()) {
            return Response.of(SmtpReply.plain(250, config.hostname()));
        }
        List<String> lines = new ArrayList<>();
        lines.add(config.hostname() + " Hello " + h.domain());
        lines.add("PIPELINING");
        lines.add("SIZE " + config.maxMessageSize());
        lines.add("8BITMIME");
        lines.add("SMTPUTF8");
        lines.add("CHUNKING");
        lines.add("ENHANCEDSTATUSCODES");
        if (config.dsn()) {
            lines.add("DSN");
        }
        if (config.tlsOffered() && !tls) {
            lines.add("STARTTLS");
        }
        if (authAllowed()) {
            lines.add("AUTH PLAIN LOGIN");
        }
        return Response.of(new SmtpReply(250, "", lines));
    }

    private boolean authAllowed() {
        return config.authOffered() && (tls || !config.authRequiresTls());
    }

    private Response mail(Mail m) {
        if (helo == null) {
            return bad("Send HELO or EHLO first");
        }
        if (sender != null) {
            return bad("Nested MAIL command");
        }
        Transaction.Sender candidate;
        switch (MailParameters.sender(m.path(), m.params(), config.dsn(), config.maxMessageSize())) {
            case MailParameters.Parsed.Bad<Transaction.Sender> bad -> {
                return Response.of(bad.reply());
            }
            case MailParameters.Parsed.Ok<Transaction.Sender> ok -> candidate = ok.value();
        }
        SmtpReply reply = transport.mail(candidate);
        if (reply.isPositive()) {
            sender = candidate;
        }
        return Response.of(reply);
    }

    private Response rcpt(Rcpt r) {
        if (sender == null) {
            return bad("Need MAIL before RCPT");
        }
        String dsn;
        switch (MailParameters.recipient(r.params(), config.dsn())) {
            case MailParameters.Parsed.Bad<String> bad -> {
                return Response.of(bad.reply());
            }
            case MailParameters.Parsed.Ok<String> ok -> dsn = ok.value();
        }
        if (!sender.utf8() && !MailAddress.isAscii(r.path())) {
            return Response.of(SmtpReply.of(553, "5.6.7", "Non-ASCII address needs SMTPUTF8"));
        }
        if (recipients.size() >= config.maxRecipients()) {
            return Response.of(SmtpReply.of(452, "4.5.3", "Too many recipients"));
        }
        String path = r.path().equalsIgnoreCase("postmaster") ? config.postmaster() : r.path();
        boolean local = r.path().equalsIgnoreCase("postmaster") || config.localDomain().test(MailAddress.domain(path));
        if (!local && user.isEmpty() && !trusted) {
            return Response.of(SmtpReply.of(554, "5.7.1", "<" + r.path() + ">: Relay access denied"));
        }
        if (!local && !config.relayTo()) {
            return Response.of(SmtpReply.of(550, "5.7.1", "<" + r.path() + ">: Relaying not configured"));
        }
        SmtpReply reply = transport.rcpt(path, local, dsn);
        if (reply.isPositive()) {
            recipients.add(path);
        }
        return Response.of(reply);
    }

    private Response data() {
        if (sender == null || chunking) {
            return bad(chunking ? "DATA after BDAT" : "Need MAIL command");
        }
        if (recipients.isEmpty()) {
            return Response.of(SmtpReply.of(554, "5.5.1", "No valid recipients"));
        }
        message = new MessageBuffer(spoolDir, config.maxMessageSize());
        return Response.of(SmtpReply.plain(354, "End data with <CR><LF>.<CR><LF>"), Next.DATA);
    }

    private Response dataEnd(DataEnd end) {
        if (message == null) {
            return Response.NONE;
        }
        SmtpReply reply = switch (end.problem()) {
            case BARE_LINE_END -> SmtpReply.of(550, "5.6.11", "Bare CR or LF in message data; use CRLF");
            case LINE_TOO_LONG -> SmtpReply.of(500, "5.5.6", "Message line longer than 1000 octets");
            case NONE -> null;
        };
        return finish(reply);
    }

    private Response bdat(Bdat b) {
        chunkLast = b.last();
        if (sender == null) {
            chunkFailure = SmtpReply.of(503, "5.5.1", "Need MAIL command");
        } else if (recipients.isEmpty()) {
            chunkFailure = SmtpReply.of(554, "5.5.1", "No valid recipients");
        } else if (message != null && !chunking) {
            chunkFailure = SmtpReply.of(503, "5.5.1", "BDAT after DATA");
        } else {
            chunkFailure = null;
            chunking = true;
            if (message == null) {
                message = new MessageBuffer(spoolDir, config.maxMessageSize());
            }
        }
        return Response.NONE;
    }

    private Response chunkEnd() {
        if (chunkFailure != null) {
            SmtpReply failure = chunkFailure;
            chunkFailure = null;
            return Response.of(failure);
        }
        if (message.tooBig()) {
            return finish(null);
        }
        if (!chunkLast) {
            return Response.of(SmtpReply.of(250, "2.0.0", message.size() + " octets received"));
        }
        return finish(null);
    }

    /** Ends the transaction: rejects with {@code rejection}, or delivers. */
    private Response finish(SmtpReply rejection) {
        SmtpReply reply = rejection;
        if (reply == null && message.tooBig()) {
            reply = SmtpReply.of(552, "5.3.4", "Message size exceeds fixed limit");
        } else if (reply == null && message.failed()) {
            reply = SmtpReply.of(451, "4.3.0", "Local error in processing");
        } else if (reply == null) {
            Transaction tx = new Transaction(ids.get(), new Transaction.ClientFacts(clientAddress, helo, esmtp, tls,
                    user.isPresent()), sender, recipients);
            reply = transport.deliver(tx, message);
        }
        reset();
        return new Response(Optional.of(reply), Next.READ, Duration.ZERO, rejection == null && reply.code() == 250);
    }

    private Response startTls() {
        if (!config.tlsOffered()) {
            return Response.of(SmtpReply.of(502, "5.5.1", "STARTTLS not offered"));
        }
        if (tls) {
            return bad("TLS already active");
        }
        if (sender != null) {
            return bad("STARTTLS inside a mail transaction");
        }
        return Response.of(SmtpReply.of(220, "2.0.0", "Ready to start TLS"), Next.START_TLS);
    }

    /** The TLS handshake is under way: forget everything the client said before (RFC 3207 4.2). */
    void tlsStarted() {
        reset();
        tls = true;
        helo = null;
        esmtp = false;
        user = Optional.empty();
    }

    private Response auth(Auth a) {
        if (!config.authOffered()) {
            return Response.of(SmtpReply.of(502, "5.5.1", "AUTH not offered"));
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
            return Response.of(SmtpReply.of(538, "5.7.11", "Encryption required for requested authentication mechanism"));
        }
        if (!a.mechanism().equals("PLAIN") && !a.mechanism().equals("LOGIN")) {
            return Response.of(SmtpReply.of(504, "5.5.4", "Unrecognized authentication mechanism"));
        }
        auth = new AuthExchange(a.mechanism(), authenticator);
        return authStep(auth.start(a.initial()));
    }

    private Response authLine(AuthLine line) {
        if (auth == null) {
            return bad("No AUTH in progress");
        }
        return authStep(auth.respond(line.line()));
    }

    private Response authStep(AuthExchange.Step step) {
        return switch (step) {
            case AuthExchange.Step.Challenge c -> Response.of(SmtpReply.plain(334, c.base64()), Next.AUTH_LINE);
            case AuthExchange.Step.Done d -> {
                auth = null;
                user = d.user();
                yield Response.of(d.reply());
            }
        };
    }

    private Response bad(String text) {
        return Response.of(SmtpReply.of(503, "5.5.1", "Error: " + text));
    }

    /** Abandons the transaction. */
    private void reset() {
        if (sender != null) {
            transport.reset();
        }
        sender = null;
        recipients.clear();
        chunking = false;
        chunkFailure = null;
        if (message != null) {
            message.close();
            message = null;
        }
    }

    /** Releases the message buffer and the transport. Blocking when the transport blocks. */
    @Override
    public void close() {
        reset();
        transport.close();
    }
}
