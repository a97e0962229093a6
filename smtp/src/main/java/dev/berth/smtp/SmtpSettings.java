package dev.berth.smtp;

import dev.berth.config.ConfigSection;
import dev.berth.config.HostConfig;
import dev.berth.config.HostPort;
import dev.berth.scan.ScanSettings;
import dev.berth.scan.VirusAction;
import dev.berth.service.ServiceSettings;
import dev.berth.service.TlsSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code smtp:} section of a service of kind {@code smtp}. Parsing is pure: files are read
 * and the TLS context built when the handler is created.
 *
 * <pre>
 * smtp:
 *   hostname: mx.example.test          # greeting, EHLO, Received:; default "localhost"
 *   greeting: "ESMTP berth"            # text after the hostname in the 220 greeting
 *   deliver: maildir                   # maildir (default) | relay
 *   maildir: mail                      # root of mail/&lt;domain&gt;/&lt;user&gt;; required for maildir
 *   users: users.txt                   # Dovecot passwd-file; required for maildir; enables AUTH
 *   domains: [example.test]            # local domains (maildir; default: the users' domains) or
 *                                      # domains accepted from anyone for relay (relay)
 *   postmaster: alice@example.test     # where &lt;postmaster&gt; and postmaster@ every local domain go;
 *                                      # default: postmaster@ the first domain, postmaster@d for d
 *   relay-to: 127.0.0.1:10025          # next hop; required for relay; with maildir, where
 *                                      # authenticated/trusted clients' other mail goes
 *   relay-networks: [127.0.0.1/32]     # clients that may relay without AUTH; default none
 *   tls: {cert: cert.pem, key: key.pem}  # enables STARTTLS
 *   auth: {require-tls: true}          # AUTH only after STARTTLS (default true)
 *   limits: {message-size: 25m, recipients: 100, errors: 10, error-delay: 1s,
 *            idle-timeout: 5m, data-timeout: 10m, connections-per-client: 20,
 *            auth-failures: 5, auth-failure-window: 10m}
 *   scan: [sig]                        # names under the top-level scanners:
 *   on-virus: reject                   # reject | quarantine | tag
 *   quarantine: quarantine             # a Maildir of its own; required for on-virus: quarantine
 * </pre>
 *
 * @param hostname the server's name; defaults to {@code localhost} because finding the machine's
 *     name is I/O, which parsing must not do
 * @param greeting the 220 text after the hostname
 * @param deliver where accepted mail goes
 * @param maildir the Maildir root (maildir delivery)
 * @param users the users file
 * @param domains lower-case domains
 * @param postmaster the mailbox for every local domain's postmaster, if configured
 * @param relayTo the next hop
 * @param relayNetworks trusted client blocks
 * @param tls the STARTTLS identity
 * @param authRequiresTls AUTH only under TLS
 * @param limits the limits
 * @param scan the scanner chain
 * @param onVirus what happens to infected mail
 * @param quarantine the quarantine Maildir
 * @param clientTable the host's client table ({@code run-dir/clients}, which the master creates),
 *     where the workers count failed AUTH together; empty outside a host (tests)
 */
record SmtpSettings(String hostname, String greeting, Deliver deliver, Optional<Path> maildir,
        Optional<Path> users, Set<String> domains, Optional<String> postmaster, Optional<HostPort> relayTo, List<Cidr> relayNetworks,
        Optional<TlsSettings> tls, boolean authRequiresTls, SmtpLimits limits, ScanSettings scan,
        VirusAction onVirus, Optional<Path> quarantine, Optional<Path> clientTable) implements ServiceSettings {

    /** Where accepted messages go. */
    enum Deliver {
        /** Into local Maildirs. */
        MAILDIR,
        /** To the next hop, before queue. */
        RELAY
    }

    private static final Set<String> KEYS = ordered("hostname", "greeting", "deliver", "maildir", "users",
            "domains", "postmaster", "relay-to", "relay-networks", "tls", "auth", "limits", "scan", "on-virus", "quarantine");

    /** Checks consistency; messages name the config key. */
    SmtpSettings {
        Objects.requireNonNull(hostname, "hostname");
        domains = Set.copyOf(domains);
        relayNetworks = List.copyOf(relayNetworks);
        if (deliver == Deliver.MAILDIR && (maildir.isEmpty() || users.isEmpty())) {
            throw new IllegalArgumentException("deliver: maildir needs maildir and users");
        }
        if (deliver == Deliver.RELAY && relayTo.isEmpty()) {
            throw new IllegalArgumentException("deliver: relay needs relay-to");
        }
        if (onVirus == VirusAction.QUARANTINE && quarantine.isEmpty()) {
            throw new IllegalArgumentException("on-virus: quarantine needs quarantine");
        }
    }

    /**
     * Parses the section; {@code host.scanners()} resolves {@code scan:}. Pure.
     *
     * @throws dev.berth.config.ConfigException located at the first bad key or value
     */
    static SmtpSettings parse(ConfigSection section, HostConfig host) {
        return parse(section, host.scanners(), Optional.of(host.master().runDir().resolve("clients")));
    }

    /** Parses with the top-level {@code scanners:} section given directly and no client table (tests). */
    static SmtpSettings parse(ConfigSection section, ConfigSection scanners) {
        return parse(section, scanners, Optional.empty());
    }

    /** Parses with the top-level {@code scanners:} section and the client table given directly (tests). */
    static SmtpSettings parse(ConfigSection section, ConfigSection scanners, Optional<Path> clientTable) {
        section.rejectUnknownKeys(KEYS);
        String hostname = section.string("hostname", "localhost");
        if (!hostname.matches("[A-Za-z0-9.\\-\\[\\]:]+")) {
            throw section.error("hostname", "\"" + hostname + "\" is not a host name", "a domain name such as mx.example.test");
        }
        String greeting = section.string("greeting", "ESMTP berth");
        if (!greeting.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw section.error("greeting", "\"" + greeting + "\" has control or non-ASCII characters", "printable ASCII text");
        }
        Deliver deliver = switch (section.string("deliver", "maildir").toLowerCase(Locale.ROOT)) {
            case "maildir" -> Deliver.MAILDIR;
            case "relay" -> Deliver.RELAY;
            default -> throw section.error("deliver", "\"" + section.string("deliver", "") + "\" is not a delivery", "maildir, relay");
        };
        Optional<Path> maildir = section.file("maildir");
        Optional<Path> users = section.file("users");
        if (deliver == Deliver.MAILDIR && maildir.isEmpty()) {
            throw section.error("maildir", "missing (deliver: maildir)", "the Maildir root directory");
        }
        if (deliver == Deliver.MAILDIR && users.isEmpty()) {
            throw section.error("users", "missing (deliver: maildir)", "a users file of user@domain:{SCHEME}hash lines");
        }
        Set<String> domains = new LinkedHashSet<>();
        for (String d : section.strings("domains")) {
            domains.add(d.toLowerCase(Locale.ROOT));
        }
        Optional<String> postmaster = section.string("postmaster").map(text -> postmaster(section, text));
        Optional<HostPort> relayTo = section.string("relay-to").map(text -> relayTo(section, text));
        if (deliver == Deliver.RELAY && relayTo.isEmpty()) {
            throw section.error("relay-to", "missing (deliver: relay)", "host:port of the next hop");
        }
        List<Cidr> networks = new ArrayList<>();
        for (String n : section.strings("relay-networks")) {
            networks.add(Cidr.parse(n).orElseThrow(() -> section.error("relay-networks", "\"" + n + "\" is not an address block",
                    "address blocks such as 127.0.0.1/32, 10.0.0.0/8, ::1/128")));
        }
        ConfigSection auth = section.section("auth");
        auth.rejectUnknownKeys(Set.of("require-tls"));
        boolean requireTls = auth.bool("require-tls", true);
        VirusAction onVirus = VirusAction.parse(section, "on-virus", VirusAction.REJECT);
        Optional<Path> quarantine = section.file("quarantine");
        if (onVirus == VirusAction.QUARANTINE && quarantine.isEmpty()) {
            throw section.error("quarantine", "missing (on-virus: quarantine)", "a directory for the quarantine Maildir");
        }
        return new SmtpSettings(hostname, greeting, deliver, maildir, users, domains, postmaster, relayTo, networks,
                TlsSettings.parse(section, "tls"), requireTls, SmtpLimits.parse(section.section("limits")),
                ScanSettings.parse(scanners, section, "scan"), onVirus, quarantine, clientTable);
    }

    private static String postmaster(ConfigSection section, String text) {
        if (text.isEmpty() || MailAddress.checkSender(text).isPresent()) {
            throw section.error("postmaster", "\"" + text + "\" is not a mailbox address", "an address such as alice@example.test");
        }
        return text;
    }

    private static HostPort relayTo(ConfigSection section, String text) {
        try {
            return HostPort.parse(text);
        } catch (IllegalArgumentException e) {
            throw section.error("relay-to", e.getMessage(), "host:port such as 127.0.0.1:10025 or [::1]:10025");
        }
    }

    private static Set<String> ordered(String... keys) {
        return Collections.unmodifiableSequencedSet(new LinkedHashSet<>(List.of(keys)));
    }
}
