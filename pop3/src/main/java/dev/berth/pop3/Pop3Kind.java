package dev.berth.pop3;

import dev.berth.config.ConfigSection;
import dev.berth.service.ServiceContext;
import dev.berth.service.ServiceHandler;
import dev.berth.service.ServiceKind;
import dev.berth.service.ServiceSettings;

/**
 * The {@code pop3} kind: a POP3 server (RFC 1939 with CAPA, UIDL, TOP, RESP-CODES,
 * AUTH-RESP-CODE, PIPELINING, STLS and SASL PLAIN) over the Maildir the {@code smtp} kind writes.
 * Deletions happen only at QUIT; each maildrop is locked for the session.
 *
 * <ul>
 *   <li>Logins: names as the users file has them ({@code alice@example.test}). USER/PASS and
 *       AUTH PLAIN (RFC 5034, initial response or {@code + } continuation, {@code *} cancels) only
 *       after STLS unless {@code allow-plaintext-auth: true}; before that they get
 *       {@code -ERR [AUTH]} and CAPA lists neither USER nor SASL. Unlike Dovecot, a connection
 *       from the server's own address is not treated as secure. APOP is not offered.
 *   <li>Failures: {@code -ERR [AUTH] Authentication failed.} after {@code auth-failure-delay};
 *       the third failure closes the connection, as do ten unusable commands. A locked maildrop
 *       is {@code -ERR [IN-USE]}; a maildrop path taken by a file {@code -ERR [SYS/PERM]}; other
 *       I/O failures {@code -ERR [SYS/TEMP]}. No login delay is enforced or advertised.
 *   <li>Messages go out as stored, dot-stuffed; STAT and LIST count the stored octets. A message
 *       without a final line end gets a CRLF before the terminator, not counted.
 *   <li>UIDL is the Maildir uid (stable across sessions), or a digest of it when RFC 1939 does not
 *       allow it as is.
 * </ul>
 *
 * <pre>
 * services:
 *   - name: pop3
 *     kind: pop3
 *     listen: ["0.0.0.0:1110"]
 *     pop3: {maildir: mail, users: users.txt, tls: {cert: cert.pem, key: key.pem}}
 * </pre>
 *
 * <p>Found through {@link java.util.ServiceLoader}; stateless and thread-safe. See
 * {@link Pop3Settings} for the keys of the {@code pop3:} section.
 */
public final class Pop3Kind implements ServiceKind {

    /** Creates the kind; called by {@link java.util.ServiceLoader}. */
    public Pop3Kind() {
    }

    /** Returns {@code pop3}. */
    @Override
    public String name() {
        return "pop3";
    }

    /** A negative greeting with RFC 3206's temporary-failure code. */
    @Override
    public java.util.Optional<String> refusal() {
        return java.util.Optional.of("-ERR [SYS/TEMP] No service for this address\r\n");
    }

    /**
     * Parses the {@code pop3:} section. Pure: the users file, the TLS files and the Maildir root
     * are read when the handler is created.
     *
     * @throws dev.berth.config.ConfigException for an unknown key, a missing or bad value
     */
    @Override
    public ServiceSettings parseSettings(ConfigSection section) {
        return Pop3Settings.parse(section);
    }

    /**
     * Creates the service's handler: loads the users file and the TLS identity (blocking).
     *
     * @throws IllegalArgumentException when the settings were not made by this kind
     * @throws java.io.UncheckedIOException when the users file or a TLS file cannot be read
     */
    @Override
    public ServiceHandler newHandler(ServiceSettings settings, ServiceContext context) {
        if (!(settings instanceof Pop3Settings pop3)) {
            throw new IllegalArgumentException("settings: not from the pop3 kind: " + settings);
        }
        return Pop3ServiceHandler.create(pop3, context);
    }
}
