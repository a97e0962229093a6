package dev.berth.smtp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * What a session needs of the settings, resolved for one connection.
 *
 * @param hostname the name in the greeting, EHLO reply and {@code Received:}
 * @param greeting the greeting text after the hostname
 * @param maxMessageSize octets; larger messages get 552 5.3.4
 * @param maxRecipients recipients per transaction; more get 452 4.5.3
 * @param maxErrors error replies before 421 4.7.0 and close
 * @param errorDelay delay of each error reply after the third
 * @param tlsOffered STARTTLS is configured
 * @param authOffered a users file is configured
 * @param authRequiresTls AUTH only under TLS
 * @param localDomain whether a lower-case domain is local (maildir) or accepted from anyone (relay)
 * @param relayTo a next hop is configured (relay of non-local recipients possible)
 * @param postmaster where {@code <Postmaster>} and {@code postmaster@} a local domain go
 * @param dsn DSN (RFC 3461) is offered, its parameters passed to the next hop (relay)
 */
record SessionConfig(String hostname, String greeting, long maxMessageSize, int maxRecipients,
        int maxErrors, Duration errorDelay, boolean tlsOffered, boolean authOffered,
        boolean authRequiresTls, Predicate<String> localDomain, boolean relayTo, Postmaster postmaster, boolean dsn) {
    /** The EHLO keywords after the greeting line, for a connection in this state. */
    List<String> keywords(boolean tls, boolean authAllowed) {
        List<String> lines = new ArrayList<>(List.of("PIPELINING", "SIZE " + maxMessageSize, "8BITMIME",
                "SMTPUTF8", "CHUNKING", "ENHANCEDSTATUSCODES"));
        if (dsn) {
            lines.add("DSN");
        }
        if (tlsOffered && !tls) {
            lines.add("STARTTLS");
        }
        if (authAllowed) {
            lines.add("AUTH PLAIN LOGIN");
        }
        return lines;
    }
}
