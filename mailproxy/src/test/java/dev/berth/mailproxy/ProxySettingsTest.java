package dev.berth.mailproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.config.ConfigException;
import dev.berth.config.ConfigSection;
import dev.berth.config.HostPort;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProxySettingsTest {

    private static final Path FILE = Path.of("/etc/berth/berth.yaml");

    private static ProxySettings parse(Protocol protocol, String yaml) {
        return parse(protocol, yaml, "");
    }

    private static ProxySettings parse(Protocol protocol, String yaml, String scanners) {
        return ProxySettings.parse(ConfigSection.parseYaml(FILE, yaml), ConfigSection.parseYaml(FILE, scanners), protocol);
    }

    @Test
    void aDedicatedProxyHasDefaults() {
        ProxySettings s = parse(Protocol.POP3, "upstream: \"127.0.0.1:11110\"");
        assertThat(s.route()).isEqualTo(new Route.Fixed(new HostPort("127.0.0.1", 11110)));
        assertThat(s.upstreamTls()).isEqualTo(UpstreamTls.NONE);
        assertThat(s.upstreamTlsVerify()).isTrue();
        assertThat(s.xclient()).isFalse();
        assertThat(s.tls()).isEmpty();
        assertThat(s.scan()).isEmpty();
        assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.idleTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(parse(Protocol.IMAP, "upstream: mail.example.org").route())
                .isEqualTo(new Route.Fixed(new HostPort("mail.example.org", 143)));
    }

    @Test
    void aGenericProxyReadsEveryKey() {
        ProxySettings s = parse(Protocol.POP3, """
                route: user-map
                user-map: maps/users.map
                allow: ["127.0.0.1:11110", "[::1]"]
                upstream-tls: starttls
                upstream-tls-verify: false
                xclient: true
                tls: {cert: c.pem, key: k.pem}
                scan: [sig]
                connect-timeout: 3s
                idle-timeout: 1m
                """, "sig: {kind: signatures}");
        assertThat(s.route()).isEqualTo(new Route.UserMap(Path.of("/etc/berth/maps/users.map")));
        assertThat(s.allow()).containsExactly(new HostPort("127.0.0.1", 11110), new HostPort("::1", 110));
        assertThat(s.upstreamTls()).isEqualTo(UpstreamTls.STARTTLS);
        assertThat(s.upstreamTlsVerify()).isFalse();
        assertThat(s.xclient()).isTrue();
        assertThat(s.tls().orElseThrow().cert()).isEqualTo(Path.of("/etc/berth/c.pem"));
        assertThat(s.scan().orElseThrow().scanners()).hasSize(1);
        assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(s.idleTimeout()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void theScanLimitDefaultsToTwentyFiveMebibytesAndMustBePositive() {
        assertThat(parse(Protocol.POP3, "upstream: \"127.0.0.1:11110\"").scanMaxSize()).isEqualTo(25L << 20);
        assertThat(parse(Protocol.POP3, "upstream: h\nscan-max-size: 2m").scanMaxSize()).isEqualTo(2L << 20);
        assertThatThrownBy(() -> parse(Protocol.POP3, "upstream: h\nscan-max-size: 0"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("berth.yaml:2").hasMessageContaining("scan-max-size");
        assertThatThrownBy(() -> parse(Protocol.IMAP, "upstream: h\nscan-max-size: 2m"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("scan-max-size");
    }

    @Test
    void exactlyOneOfUpstreamAndRouteIsRequired() {
        assertThatThrownBy(() -> parse(Protocol.POP3, "xclient: true"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("upstream").hasMessageContaining("exactly one");
        assertThatThrownBy(() -> parse(Protocol.POP3, "upstream: h\nroute: user-at-host\nallow: [h]"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("route");
    }

    @Test
    void userAtHostNeedsAnAllowList() {
        assertThatThrownBy(() -> parse(Protocol.IMAP, "route: user-at-host"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("allow");
    }

    @Test
    void badValuesAreLocated() {
        assertThatThrownBy(() -> parse(Protocol.POP3, "route: user-at-host\nallow: [\"h:99999\"]"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("berth.yaml:2").hasMessageContaining("allow");
        assertThatThrownBy(() -> parse(Protocol.POP3, "upstream: h\nupstream-tls: ssl"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("\"ssl\"").hasMessageContaining("none, starttls, tls");
        assertThatThrownBy(() -> parse(Protocol.POP3, "route: by-magic\nallow: [h]"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("user-at-host, user-map");
        assertThatThrownBy(() -> parse(Protocol.POP3, "route: user-map"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("user-map");
        assertThatThrownBy(() -> parse(Protocol.POP3, "upstream: h\nidle-timeout: 0"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("idle-timeout");
        assertThatThrownBy(() -> parse(Protocol.POP3, "upstream: h\nallow: [h]"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("allow");
    }

    @Test
    void unknownKeysAndScanOnImapAreRejected() {
        assertThatThrownBy(() -> parse(Protocol.POP3, "upstream: h\nupstream-tsl: none"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("upstream-tsl");
        assertThatThrownBy(() -> parse(Protocol.IMAP, "upstream: h\nscan: [sig]", "sig: {kind: signatures}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("scan");
    }

    @Test
    void anUndefinedScannerIsLocated() {
        assertThatThrownBy(() -> parse(Protocol.POP3, "upstream: h\nscan: [clamav]", "sig: {kind: signatures}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("clamav").hasMessageContaining("sig");
    }
}
