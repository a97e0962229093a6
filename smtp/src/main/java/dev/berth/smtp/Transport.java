package dev.berth.smtp;

/**
 * Where a connection's accepted messages go: into Maildir ({@link MaildirTransport}) or to the
 * next hop ({@link RelayTransport}). One instance per connection, called by its session, one call
 * at a time, from the connection's ordered executor when {@link #blocking()} says envelope calls
 * block, else from the event loop; {@link #deliver} always runs on the executor.
 *
 * <p>Failures are replies, never exceptions. The session owns the transport and closes it.
 */
interface Transport extends AutoCloseable {

    /** Whether {@link #mail}, {@link #rcpt}, {@link #reset} and {@link #close} may block. */
    boolean blocking();

    /** Starts a transaction for this client; the reply is the client's answer to MAIL. */
    SmtpReply mail(Transaction.Sender sender, Transaction.ClientFacts client);

    /**
     * Adds a recipient the session's policy allowed; the reply is the client's answer.
     *
     * @param dsn the NOTIFY and ORCPT parameters as given (relay only), or empty
     */
    SmtpReply rcpt(String recipient, boolean local, String dsn);

    /**
     * Delivers (scans, stores or forwards) the finished message to the accepted recipients. The
     * reply is final: 250 only when the message is safe (fsynced, or the next hop said 250).
     * Blocking.
     */
    SmtpReply deliver(Transaction transaction, MessageBuffer message);

    /** Abandons the transaction (RSET, HELO, failure). */
    void reset();

    /** Ends the connection's use of the transport (QUIT or disconnect). Idempotent. */
    @Override
    void close();
}
