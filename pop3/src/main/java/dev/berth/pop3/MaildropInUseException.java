package dev.berth.pop3;

/** The maildrop is locked by another session: the client hears {@code -ERR [IN-USE]}. */
final class MaildropInUseException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Names the mailbox in the message. */
    MaildropInUseException(String message, Throwable cause) {
        super(message, cause);
    }
}
