package dev.berth.smtp;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where mail for the reserved mailbox {@code postmaster} goes (RFC 5321 4.5.1: a server that
 * delivers or relays must accept it, in any case, with or without a domain). With
 * {@code postmaster:} configured, {@code <postmaster>} and {@code postmaster@} every local domain
 * go to that one address; without it, {@code <postmaster>} goes to {@code postmaster@} the first
 * local domain and {@code postmaster@d} to {@code postmaster@d}, with the local part lower-cased
 * (mailbox names are case-sensitive, this one is not). An immutable value; pure.
 *
 * @param configured the {@code postmaster:} address, if set
 * @param defaultDomain the lower-case domain of the bare {@code <postmaster>} when none is set
 */
record Postmaster(Optional<String> configured, String defaultDomain) {

    /** Checks for nulls. */
    Postmaster {
        Objects.requireNonNull(configured, "configured");
        Objects.requireNonNull(defaultDomain, "defaultDomain");
    }

    /** Whether a forward path names the postmaster: {@code postmaster} or {@code postmaster@domain}, any case. */
    static boolean names(String path) {
        int at = path.lastIndexOf('@');
        return (at < 0 ? path : path.substring(0, at)).equalsIgnoreCase("postmaster");
    }

    /** The mailbox for the postmaster of {@code domain} (lower case; empty for a bare {@code <postmaster>}). */
    String mailbox(String domain) {
        return configured.orElseGet(() -> "postmaster@" + (domain.isEmpty() ? defaultDomain : domain.toLowerCase(Locale.ROOT)));
    }
}
