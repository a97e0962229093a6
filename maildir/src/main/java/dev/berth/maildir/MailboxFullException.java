package dev.berth.maildir;

import java.io.IOException;

/**
 * A delivery failed because the file system is full or the quota is exceeded (ENOSPC, EDQUOT).
 * SMTP answers it with a temporary 452 4.3.1 rather than a generic 451.
 */
public final class MailboxFullException extends IOException {

    private static final long serialVersionUID = 1L;

    /** Wraps the I/O error that reported the full disk. */
    public MailboxFullException(String message, IOException cause) {
        super(message, cause);
    }

    /**
     * Returns {@code e} as a {@code MailboxFullException} if it reports a full disk or an
     * exceeded quota ("No space left on device", "Disk quota exceeded", anywhere in its cause
     * chain), else {@code e} itself.
     */
    public static IOException classify(IOException e) {
        if (e instanceof MailboxFullException) {
            return e;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded"))) {
                return new MailboxFullException("mailbox full: " + m, e);
            }
        }
        return e;
    }
}
