package dev.berth.smtp;

import dev.berth.maildir.MaildirStore;
import dev.berth.maildir.MaildirTarget;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The quarantine: a Maildir of its own ({@code <quarantine>/{tmp,new,cur}}) where infected mail
 * goes under {@code on-virus: quarantine}, with the trace and scan headers. Blocking (fsync);
 * thread-safe.
 */
final class Quarantine {

    private final Path root;
    private final MaildirStore store;
    private final TraceHeaders trace;

    Quarantine(Path root, TraceHeaders trace) {
        this.root = root;
        this.store = MaildirStore.at(root);
        this.trace = trace;
    }

    /** Stores one copy addressed to the first recipient. */
    void store(Transaction tx, MessageBuffer message, List<String> headers) throws IOException {
        byte[] prefix = trace.maildirPrefix(tx, String.join(", ", tx.recipients()), headers);
        store.deliver(List.of(new MaildirTarget(root, prefix)), message.body());
    }
}
