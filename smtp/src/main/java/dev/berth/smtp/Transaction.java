package dev.berth.smtp;

import java.util.List;

/**
 * One finished mail transaction, as handed to {@link Transport#deliver}: who sent it over which
 * connection, the envelope and the id it gets in {@code Received:} and in the replies.
 *
 * @param id the queue id, unique within the process and time
 * @param client the connection's facts
 * @param sender the reverse path and MAIL parameters
 * @param recipients the accepted forward paths, in RCPT order
 */
record Transaction(String id, ClientFacts client, Sender sender, List<String> recipients) {

    Transaction {
        recipients = List.copyOf(recipients);
    }

    /**
     * The MAIL command as accepted.
     *
     * @param path the reverse path, empty for {@code <>}
     * @param size the SIZE= value, or -1
     * @param body the BODY= value (7BIT, 8BITMIME), or empty
     * @param utf8 whether SMTPUTF8 was given
     * @param dsn the RET and ENVID parameters as given (relay only), space-separated, or empty
     */
    record Sender(String path, long size, String body, boolean utf8, String dsn) {
    }

    /**
     * What the connection is at delivery time.
     *
     * @param address the client's numeric IP address
     * @param helo the HELO/EHLO argument
     * @param esmtp EHLO (not HELO) was used
     * @param tls the connection is under TLS
     * @param authenticated the client authenticated
     */
    record ClientFacts(String address, String helo, boolean esmtp, boolean tls, boolean authenticated) {

        /** The {@code with} protocol of {@code Received:} (RFC 3848). */
        String protocol() {
            if (!esmtp) {
                return "SMTP";
            }
            return "ESMTP" + (tls ? "S" : "") + (authenticated ? "A" : "");
        }
    }
}
