package dev.berth.smtp;

import dev.berth.maildir.MailUser;
import dev.berth.maildir.MailboxFullException;
import dev.berth.maildir.MaildirStore;
import dev.berth.maildir.MaildirTarget;
import dev.berth.maildir.Users;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Optional;

/**
 * Delivery into local Maildirs: RCPT looks the user up (in memory, non-blocking), the end of
 * data scans and then writes one copy per recipient through {@link MaildirStore#deliver}, all or
 * nothing, fsynced before the 250. A virus under {@code on-virus: quarantine} goes to the
 * quarantine Maildir instead, and the client still gets 250 (the message is accepted).
 *
 * Several RCPTs naming the same user give one copy.
 *
 * <p>One per connection; the session's thread. Envelope calls do not block; deliver does.
 */
final class MaildirTransport implements Transport {

    private static final System.Logger LOG = System.getLogger(MaildirTransport.class.getName());

    private final Users users;
    private final MaildirStore store;
    private final ScanStep scan;
    private final TraceHeaders trace;
    private final Optional<Quarantine> quarantine;

    MaildirTransport(Users users, MaildirStore store, ScanStep scan, TraceHeaders trace, Optional<Quarantine> quarantine) {
        this.users = users;
        this.store = store;
        this.scan = scan;
        this.trace = trace;
        this.quarantine = quarantine;
    }

    @Override
    public boolean blocking() {
        return false;
    }

    @Override
    public SmtpReply mail(Transaction.Sender sender, Transaction.ClientFacts client) {
        return SmtpReply.of(250, "2.1.0", "Ok");
    }

    @Override
    public SmtpReply rcpt(String recipient, boolean local, String dsn) {
        if (!local) {
            return SmtpReply.of(550, "5.7.1", "<" + recipient + ">: Relaying not configured");
        }
        Optional<MailUser> user = users.find(recipient);
        if (user.isEmpty()) {
            return SmtpReply.of(550, "5.1.1", "<" + recipient + ">: Recipient address rejected: User unknown");
        }
        return SmtpReply.of(250, "2.1.5", "Ok");
    }

    @Override
    public SmtpReply deliver(Transaction tx, MessageBuffer message) {
        ScanStep.Decision decision = scan.check(message, tx);
        try {
            return switch (decision) {
                case ScanStep.Decision.Refuse r -> r.reply();
                case ScanStep.Decision.Quarantine q -> {
                    quarantine.orElseThrow().store(tx, message, q.headers());
                    yield SmtpReply.of(250, "2.0.0", "Ok: queued as " + tx.id() + " (quarantined)");
                }
                case ScanStep.Decision.Deliver d -> {
                    List<MaildirTarget> targets = new ArrayList<>();
                    Set<MailUser> seen = new HashSet<>();
                    for (String recipient : tx.recipients()) {
                        MailUser user = users.find(recipient).orElseThrow(() -> new IOException("user vanished: " + recipient));
                        if (seen.add(user)) {
                            targets.add(new MaildirTarget(store.mailbox(user), trace.maildirPrefix(tx, recipient, d.headers())));
                        }
                    }
                    store.deliver(targets, message.body());
                    yield SmtpReply.of(250, "2.0.0", "Ok: queued as " + tx.id());
                }
            };
        } catch (MailboxFullException e) {
            LOG.log(Level.WARNING, "delivery of " + tx.id() + " failed: mailbox full", e);
            return SmtpReply.of(452, "4.3.1", "Insufficient system storage");
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "delivery of " + tx.id() + " failed", e);
            return SmtpReply.of(451, "4.3.0", "Local error in processing");
        }
    }

    @Override
    public void reset() {
        // Nothing held between commands: recipients are looked up again at delivery.
    }

    @Override
    public void close() {
        // Nothing to release: the store and users belong to the service.
    }
}
