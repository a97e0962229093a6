package dev.berth.mailproxy;

import dev.berth.config.ConfigSection;
import dev.berth.config.HostConfig;
import dev.berth.config.HostPort;
import dev.berth.scan.ScanSettings;
import dev.berth.service.ServiceSettings;
import dev.berth.service.TlsSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code pop3-proxy:} or {@code imap-proxy:} section of a proxy service.
 *
 * <pre>
 * pop3-proxy:
 *   route: user-at-host            # user-at-host | user-map (generic); or upstream: (dedicated)
 *   user-map: users.map            # with route: user-map; lines "user host[:port] [upstream-user]"
 *   allow: ["127.0.0.1:11110"]     # upstreams a generic route may pick (default port 110 / 143)
 *   upstream: "127.0.0.1:11110"    # dedicated: every login goes here; exactly one of upstream, route
 *   upstream-tls: none             # none | starttls | tls
 *   upstream-tls-verify: true      # false accepts any upstream certificate (test peers)
 *   xclient: false                 # pass the client address (POP3 XCLIENT, IMAP ID)
 *   tls: {cert: c.pem, key: k.pem} # offers STLS / STARTTLS to clients
 *   scan: [sig]                    # pop3-proxy only: scan RETR'd messages with these scanners
 *   scan-max-size: 25m             # larger messages are refused (-ERR [SYS/PERM]), never passed unscanned;
 *                                  # a connection holds 256k of a message in memory, the rest on disk
 *   connect-timeout: 10s           # upstream connect and login
 *   idle-timeout: 10m              # a connection silent both ways this long is closed
 * </pre>
 *
 * @param protocol which proxy
 * @param route how the upstream is chosen
 * @param allow the upstreams a generic route may choose; for {@code user-map} empty means every
 *     mapped upstream; never used by a fixed route
 * @param upstreamTls how the upstream leg is secured
 * @param upstreamTlsVerify whether the upstream certificate is checked against the JDK trust store
 * @param xclient whether the client's address is passed upstream
 * @param tls the identity for STLS / STARTTLS offered to clients, if any
 * @param scan the scanners run over RETR'd messages (POP3 only), if any
 * @param connectTimeout the bound on connecting and logging in upstream; positive
 * @param idleTimeout the bound on silence; positive
 * @param scanMaxSize the most bytes of one RETR'd message held (past 256 KiB in the spool, on disk)
 *     for scanning; positive
 */
record ProxySettings(
        Protocol protocol,
        Route route,
        List<HostPort> allow,
        UpstreamTls upstreamTls,
        boolean upstreamTlsVerify,
        boolean xclient,
        Optional<TlsSettings> tls,
        Optional<ScanSettings> scan,
        Duration connectTimeout,
        Duration idleTimeout,
        long scanMaxSize) implements ServiceSettings {

    /** The default {@code scan-max-size}: the smtp kind's default message size. */
    static final long DEFAULT_SCAN_MAX_SIZE = 25L << 20;

    private static final Set<String> KEYS = new LinkedHashSet<>(List.of(
            "route", "user-map", "allow", "upstream", "upstream-tls", "upstream-tls-verify", "xclient",
            "tls", "scan", "scan-max-size", "connect-timeout", "idle-timeout"));

    /** Checks the values. */
    ProxySettings {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(route, "route");
        allow = List.copyOf(allow);
        Objects.requireNonNull(upstreamTls, "upstreamTls");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(scan, "scan");
        if (route instanceof Route.UserAtHost && allow.isEmpty()) {
            throw new IllegalArgumentException("allow: route user-at-host needs an allow-list");
        }
        if (scan.isPresent() && protocol != Protocol.POP3) {
            throw new IllegalArgumentException("scan: only pop3-proxy scans");
        }
        if (scanMaxSize < 1) {
            throw new IllegalArgumentException("scan-max-size: not positive: " + scanMaxSize);
        }
        if (!connectTimeout.isPositive() || !idleTimeout.isPositive()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    /**
     * Parses a section; does no I/O.
     *
     * @param host the whole file, for {@code scan:} names; null when not at hand (then no scanner
     *     name resolves)
     * @throws dev.berth.config.ConfigException naming the key, the value and what is accepted
     */
    static ProxySettings parse(ConfigSection section, HostConfig host, Protocol protocol) {
        return parse(section, host != null ? host.scanners()
                : ConfigSection.empty(section.location().file(), "scanners"), protocol);
    }

    /** Parses a section against a {@code scanners:} section; does no I/O. */
    static ProxySettings parse(ConfigSection section, ConfigSection scanners, Protocol protocol) {
        Set<String> keys = new LinkedHashSet<>(KEYS);
        if (protocol != Protocol.POP3) {
            keys.remove("scan");
            keys.remove("scan-max-size");
        }
        section.rejectUnknownKeys(keys);
        Route route = route(section, protocol);
        List<HostPort> allow = allow(section, protocol);
        if (route instanceof Route.UserAtHost && allow.isEmpty()) {
            throw section.error("allow", "route user-at-host without an allow-list would relay anywhere",
                    "a list of upstreams like [\"127.0.0.1:" + protocol.defaultPort() + "\"]");
        }
        if (route instanceof Route.Fixed && section.has("allow")) {
            throw section.error("allow", "is not used with upstream:", "allow only with route:");
        }
        Optional<ScanSettings> scan = protocol == Protocol.POP3 && section.has("scan")
                ? Optional.of(ScanSettings.parse(scanners, section, "scan"))
                : Optional.empty();
        return new ProxySettings(protocol, route, allow, upstreamTls(section),
                section.bool("upstream-tls-verify", true), section.bool("xclient", false),
                TlsSettings.parse(section, "tls"), scan,
                positive(section, "connect-timeout", Duration.ofSeconds(10)),
                positive(section, "idle-timeout", protocol == Protocol.POP3 ? Duration.ofMinutes(10) : Duration.ofMinutes(30)),
                scanMaxSize(section));
    }

    private static long scanMaxSize(ConfigSection section) {
        long size = section.size("scan-max-size", DEFAULT_SCAN_MAX_SIZE);
        if (size < 1) {
            throw section.error("scan-max-size", "\"" + section.string("scan-max-size", "") + "\" is not positive",
                    "a size such as 25m");
        }
        return size;
    }

    private static Route route(ConfigSection section, Protocol protocol) {
        boolean fixed = section.has("upstream");
        boolean generic = section.has("route");
        if (fixed == generic) {
            throw section.error(fixed ? "route" : "upstream", fixed ? "is set together with upstream:" : "missing",
                    "exactly one of upstream: \"host:port\" (dedicated) or route: user-at-host | user-map (generic)");
        }
        if (fixed) {
            String text = section.string("upstream").orElseThrow();
            if (section.has("user-map")) {
                throw section.error("user-map", "is only read with route: user-map", "no user-map with upstream:");
            }
            return new Route.Fixed(hostPort(section, "upstream", text, protocol));
        }
        String name = section.string("route").orElseThrow();
        return switch (name) {
            case "user-at-host" -> {
                if (section.has("user-map")) {
                    throw section.error("user-map", "is only read with route: user-map", "no user-map here");
                }
                yield new Route.UserAtHost();
            }
            case "user-map" -> new Route.UserMap(section.file("user-map").orElseThrow(() -> section.error(
                    "user-map", "missing", "a map file with lines \"user host[:port]\"")));
            default -> throw section.error("route", "\"" + name + "\" is not a route", "user-at-host, user-map");
        };
    }

    private static List<HostPort> allow(ConfigSection section, Protocol protocol) {
        List<HostPort> allow = new ArrayList<>();
        for (String text : section.strings("allow")) {
            allow.add(hostPort(section, "allow", text, protocol));
        }
        return allow;
    }

    private static HostPort hostPort(ConfigSection section, String key, String text, Protocol protocol) {
        try {
            return HostPort.parse(text, protocol.defaultPort());
        } catch (IllegalArgumentException e) {
            throw section.error(key, "\"" + text + "\" is not an upstream (" + e.getMessage() + ")",
                    "host[:port] or [v6][:port], default port " + protocol.defaultPort());
        }
    }

    private static UpstreamTls upstreamTls(ConfigSection section) {
        String text = section.string("upstream-tls", "none");
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "none" -> UpstreamTls.NONE;
            case "starttls" -> UpstreamTls.STARTTLS;
            case "tls" -> UpstreamTls.TLS;
            default -> throw section.error("upstream-tls", "\"" + text + "\" is not a mode", "none, starttls, tls");
        };
    }

    private static Duration positive(ConfigSection section, String key, Duration defaultValue) {
        Duration value = section.duration(key, defaultValue);
        if (!value.isPositive()) {
            throw section.error(key, "is not longer than zero", "a positive duration such as 10s or 5m");
        }
        return value;
    }
}
