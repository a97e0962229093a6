package dev.berth.scan;

import dev.berth.config.ConfigException;
import dev.berth.config.ConfigSection;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Parses one definition under {@code scanners:} by its {@code kind:}. Pure; static only. */
final class ScannerDefinitions {

    private static final String KINDS = "signatures, clamd, rspamd";
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private ScannerDefinitions() {
    }

    /** @throws ConfigException located at the first problem */
    static ScannerSettings parse(String name, ConfigSection definition) {
        String kind = definition.string("kind").orElseThrow(
                () -> definition.error("kind", "is missing", KINDS));
        return switch (kind) {
            case "signatures" -> signatures(name, definition);
            case "clamd" -> clamd(name, definition);
            case "rspamd" -> rspamd(name, definition);
            default -> throw definition.error("kind", "\"" + kind + "\" is not a scanner kind", KINDS);
        };
    }

    private static SignaturesSettings signatures(String name, ConfigSection definition) {
        definition.rejectUnknownKeys(new LinkedHashSet<>(SignaturesSettings.KEYS));
        List<String> patterns = definition.strings("patterns");
        for (int i = 0; i < patterns.size(); i++) {
            try {
                Pattern.compile(patterns.get(i));
            } catch (PatternSyntaxException e) {
                throw definition.error("patterns", "item " + i + " \"" + patterns.get(i) + "\" is not a valid regular expression ("
                        + e.getDescription() + " near index " + e.getIndex() + ")", "Java regular expressions");
            }
        }
        return new SignaturesSettings(name, patterns, timeout(definition));
    }

    private static ClamdSettings clamd(String name, ConfigSection definition) {
        definition.rejectUnknownKeys(new LinkedHashSet<>(ClamdSettings.KEYS));
        String text = definition.string("address", "127.0.0.1:3310");
        ClamdAddress address;
        try {
            address = ClamdAddress.parse(text, definition.location().file().toAbsolutePath().getParent());
        } catch (IllegalArgumentException e) {
            throw definition.error("address", e.getMessage(),
                    "host:port (like 127.0.0.1:3310 or [::1]:3310) or unix:/path/to/clamd.sock");
        }
        UnavailablePolicy onUnavailable = policy(definition, "on-unavailable").orElse(UnavailablePolicy.TEMPFAIL);
        return new ClamdSettings(name, address, timeout(definition), onUnavailable,
                policy(definition, "on-too-large").orElse(onUnavailable));
    }

    private static RspamdSettings rspamd(String name, ConfigSection definition) {
        definition.rejectUnknownKeys(new LinkedHashSet<>(RspamdSettings.KEYS));
        String text = definition.string("url", "http://127.0.0.1:11333");
        URI url;
        try {
            url = new URI(text);
        } catch (URISyntaxException e) {
            throw definition.error("url", "\"" + text + "\" is not a URL (" + e.getReason() + ")", "http://host:port");
        }
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null) {
            throw definition.error("url", "\"" + text + "\" is not an http URL with a host", "http://host:port");
        }
        double reject = score(definition, "reject-score", 15);
        double tag = score(definition, "tag-score", Math.min(6, reject));
        if (tag > reject) {
            throw definition.error("tag-score", "\"" + tag + "\" is above reject-score " + reject, "a score up to reject-score");
        }
        return new RspamdSettings(name, url, reject, tag, timeout(definition),
                policy(definition, "on-unavailable").orElse(UnavailablePolicy.TEMPFAIL));
    }

    private static Duration timeout(ConfigSection definition) {
        Duration timeout = definition.duration("timeout", DEFAULT_TIMEOUT);
        if (timeout.isZero()) {
            throw definition.error("timeout", "\"0\" is not a timeout", "a duration above zero, like 30s");
        }
        return timeout;
    }

    private static double score(ConfigSection definition, String key, double dflt) {
        return definition.string(key).map(text -> {
            try {
                double value = Double.parseDouble(text);
                if (Double.isFinite(value)) {
                    return value;
                }
            } catch (NumberFormatException e) {
                // reported below with the location
            }
            throw definition.error(key, "\"" + text + "\" is not a number", "a score, like 15 or 6.5");
        }).orElse(dflt);
    }

    private static Optional<UnavailablePolicy> policy(ConfigSection definition, String key) {
        return definition.string(key).map(text -> switch (text.toLowerCase(Locale.ROOT)) {
            case "tempfail" -> UnavailablePolicy.TEMPFAIL;
            case "accept" -> UnavailablePolicy.ACCEPT;
            default -> throw definition.error(key, "\"" + text + "\" is not a policy", "tempfail, accept");
        });
    }
}
