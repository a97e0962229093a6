package dev.berth.maildir;

import java.util.Locale;
import java.util.Objects;

/**
 * A local mail user from the users file: a name and a domain.
 *
 * <p>Following Dovecot, the name is case-sensitive; the domain is case-insensitive and is stored
 * in lower case (ASCII), so two users differing only in the case of their domain are the same
 * user, and mailbox paths are canonical. A user without a domain has the domain {@code ""}.
 * Immutable and thread-safe.
 *
 * @param name the local part, never empty, never containing {@code @} or {@code /}
 * @param domain the domain in lower case, or {@code ""} for a domain-less user
 */
public record MailUser(String name, String domain) {

    /**
     * Validates and normalises the domain to lower case.
     *
     * @throws IllegalArgumentException if the name is empty or contains {@code @}, {@code /},
     *     {@code :} or a control character, or the domain contains {@code /}, {@code @}, or is
     *     {@code .}/{@code ..}
     */
    public MailUser {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(domain, "domain");
        if (name.isEmpty() || !safe(name) || name.indexOf('@') >= 0) {
            throw new IllegalArgumentException("name: not a valid user name: " + name);
        }
        if (!domain.isEmpty() && (!safe(domain) || domain.indexOf('@') >= 0)) {
            throw new IllegalArgumentException("domain: not a valid domain: " + domain);
        }
        domain = domain.toLowerCase(Locale.ROOT);
    }

    /**
     * Parses an address: split at the last {@code @}; no {@code @} gives a domain-less user.
     *
     * @throws IllegalArgumentException if either part is invalid (see the constructor)
     */
    public static MailUser of(String address) {
        int at = Objects.requireNonNull(address, "address").lastIndexOf('@');
        return at < 0 ? new MailUser(address, "") : new MailUser(address.substring(0, at), address.substring(at + 1));
    }

    /** {@code name@domain}, or just the name for a domain-less user. */
    public String address() {
        return domain.isEmpty() ? name : name + "@" + domain;
    }

    private static boolean safe(String s) {
        if (s.equals(".") || s.equals("..") || s.indexOf('/') >= 0 || s.indexOf(':') >= 0) {
            return false;
        }
        return s.chars().noneMatch(c -> c < 0x20 || c == 0x7f);
    }
}
