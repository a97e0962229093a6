package dev.berth.smtp;

import dev.berth.smtp.SmtpInput.Bdat;
import dev.berth.smtp.SmtpInput.ChunkEnd;
import dev.berth.smtp.SmtpInput.Content;
import dev.berth.smtp.SmtpInput.DataEnd;
import dev.berth.smtp.SmtpInput.Helo;
import dev.berth.smtp.SmtpInput.Mail;
import dev.berth.smtp.SmtpInput.Quit;
import dev.berth.smtp.SmtpInput.Rcpt;
import dev.berth.smtp.SmtpInput.Rset;
import dev.berth.scan.Spool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The mail transaction of one connection (RFC 5321 3.3): the envelope commands MAIL and RCPT with
 * their parameter, size and relay checks, the message by DATA or BDAT, and its delivery through
 * the transport. The connection-level commands and their preconditions (HELO first, no AUTH or
 * STARTTLS inside a transaction) are {@link SmtpSession}'s.
 *
 * <pre>
 *  idle --MAIL--> mail --RCPT+--> rcpt --DATA (354)--> data --end--> deliver --> idle
 *                                 rcpt --BDAT n--> chunk* --BDAT n LAST--> deliver --> idle
 *  any --reset (RSET, HELO, QUIT, STARTTLS)--> idle
 * </pre>
 *
 * <p>Thread: the session's, one call at a time; calls for which {@link #blocks} is true run off the
 * event loop. Owns the transport and the message intake; {@link #close()} releases both.
 * Failures, the transport's included, are replies, never exceptions.
 */
final class MailTransaction implements AutoCloseable {

    /**
     * The answer to a RCPT past the limit: the client sends the rest in a later transaction
     * (RFC 5321 4.5.3.1.10), so it is no error of the client's.
     */
    static final SmtpReply TOO_MANY_RECIPIENTS = SmtpReply.of(452, "4.5.3", "Too many recipients");

    private final SessionConfig config;
    private final RelayPolicy policy;
    private final Transport transport;
    private final Supplier<String> ids;
    private final MessageIntake intake;

    private Transaction.Sender sender;
    private final List<String> recipients = new ArrayList<>();

    MailTransaction(SessionConfig config, Transport transport, Supplier<String> ids, Spool spool) {
        this.config = config;
        this.policy = RelayPolicy.of(config);
        this.transport = transport;
        this.ids = ids;
        this.intake = new MessageIntake(spool, config.maxMessageSize());
    }

    /** Whether MAIL was accepted and the transaction is not finished. */
    boolean open() {
        return sender != null;
    }

    /**
     * Whether handling {@code input} may block here: message content spilled to the spool file,
     * delivery, and every command that reaches a blocking transport (RSET, HELO and QUIT reset it).
     */
    boolean blocks(SmtpInput input) {
        return switch (input) {
            case Content content -> intake.blocksOnContent(content.bytes().readableBytes());
            case DataEnd end -> intake.active();
            case ChunkEnd end -> intake.chunkCompletes();
            case Mail m -> transport.blocking();
            case Rcpt r -> transport.blocking();
            case Rset r -> transport.blocking();
            case Helo h -> transport.blocking();
            case Quit q -> transport.blocking();
            default -> false;
        };
    }

    /** Takes message content (kept, or dropped when no message is open) and releases it. */
    void content(Content content) {
        try {
            intake.content(content.bytes());
        } finally {
            content.release();
        }
    }

    /** MAIL: checks the parameters and asks the transport. The session has checked for HELO. */
    SessionResponse mail(Mail m, Transaction.ClientFacts client) {
        if (sender != null) {
            return SessionResponse.outOfSequence("Nested MAIL command");
        }
        Transaction.Sender candidate;
        switch (MailParameters.sender(m.path(), m.params(), config.dsn(), config.maxMessageSize())) {
            case MailParameters.Parsed.Bad<Transaction.Sender> bad -> {
                return SessionResponse.of(bad.reply());
            }
            case MailParameters.Parsed.Ok<Transaction.Sender> ok -> candidate = ok.value();
        }
        SmtpReply reply = transport.mail(candidate, client);
        if (reply.isPositive()) {
            sender = candidate;
        }
        return SessionResponse.of(reply);
    }

    /**
     * RCPT: checks the parameters, the address, the recipient limit and the {@link RelayPolicy},
     * then asks the transport.
     *
     * @param mayRelay the client authenticated or is in {@code relay-networks:}
     */
    SessionResponse rcpt(Rcpt r, boolean mayRelay) {
        if (sender == null) {
            return SessionResponse.outOfSequence("Need MAIL before RCPT");
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
            return SessionResponse.of(TOO_MANY_RECIPIENTS);
        }
        return switch (policy.decide(r.path(), mayRelay)) {
            case RelayPolicy.Decision.Refuse refuse -> SessionResponse.of(refuse.reply());
            case RelayPolicy.Decision.Accept accept -> {
                SmtpReply reply = transport.rcpt(accept.path(), accept.local(), dsn);
                if (reply.isPositive()) {
                    recipients.add(accept.path());
                }
                yield SessionResponse.of(reply);
            }
        };
    }

    /** DATA: 354 and content mode, or why not. */
    SessionResponse data() {
        Optional<SmtpReply> refused = intake.startData(refusal());
        if (refused.isPresent()) {
            return SessionResponse.of(refused.get());
        }
        return SessionResponse.of(SmtpReply.plain(354, "End data with <CR><LF>.<CR><LF>"), SessionResponse.Next.DATA);
    }

    /** BDAT: no reply yet; the chunk's end answers (refused or not). */
    SessionResponse bdat(Bdat b) {
        intake.startChunk(b.last(), refusal());
        return SessionResponse.NONE;
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

    /** The end of DATA: delivers, or rejects a smuggling attempt or an over-long line. Blocking. */
    SessionResponse dataEnd(DataEnd end, Transaction.ClientFacts client) {
        if (!intake.active()) {
            return SessionResponse.NONE;
        }
        return switch (end.problem()) {
            case BARE_LINE_END -> finish(Optional.of(SmtpReply.of(550, "5.6.11", "Bare CR or LF in message data; use CRLF")), client);
            case LINE_TOO_LONG -> finish(Optional.of(SmtpReply.of(500, "5.5.6", "Message line longer than 1000 octets")), client);
            case NONE -> finish(Optional.empty(), client);
        };
    }

    /** The end of a BDAT chunk: its reply, or delivery after the last. Blocking when it delivers. */
    SessionResponse chunkEnd(Transaction.ClientFacts client) {
        return intake.chunkEnd().map(SessionResponse::of).orElseGet(() -> finish(Optional.empty(), client));
    }

    /** Ends the transaction: rejects with {@code rejection}, or delivers. */
    private SessionResponse finish(Optional<SmtpReply> rejection, Transaction.ClientFacts client) {
        MessageBuffer message = intake.message();
        SmtpReply reply;
        if (rejection.isPresent()) {
            reply = rejection.get();
        } else if (message.tooBig()) {
            reply = SmtpReply.of(552, "5.3.4", "Message size exceeds fixed limit");
        } else if (message.failed()) {
            reply = SmtpReply.of(451, "4.3.0", "Local error in processing");
        } else {
            Transaction tx = new Transaction(ids.get(), client, sender, recipients);
            reply = transport.deliver(tx, message);
        }
        boolean delivered = rejection.isEmpty() && reply.code() == 250;
        reset();
        return new SessionResponse(Optional.of(reply), SessionResponse.Next.READ, Duration.ZERO, delivered);
    }

    /** Abandons the transaction, if one is open, and drops the message. Blocking when the transport blocks. */
    void reset() {
        if (sender != null) {
            transport.reset();
        }
        sender = null;
        recipients.clear();
        intake.close();
    }

    /** Abandons the transaction and closes the transport. Blocking when the transport blocks. */
    @Override
    public void close() {
        reset();
        transport.close();
    }
}
