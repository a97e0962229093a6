package dev.berth.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.config.ConfigException;
import dev.berth.config.ConfigSection;
import dev.berth.config.HostPort;
import dev.berth.scan.VirusAction;
import dev.berth.service.ServiceKind;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class SmtpSettingsTest {

    private static final Path FILE = Path.of("/etc/berth/berth.yaml");

    private static SmtpSettings parse(String yaml) {
        return SmtpSettings.parse(ConfigSection.parseYaml(FILE, yaml), ConfigSection.parseYaml(FILE, "sig: {kind: signatures}\n"));
    }

    @Test
    void everyKeyIsRead() {
        SmtpSettings s = parse("""
                hostname: mx.example.test
                greeting: hi there
                deliver: maildir
                maildir: mail
                users: users.txt
                domains: [Example.TEST]
                relay-to: 127.0.0.1:10025
                relay-networks: [127.0.0.1/32, "::1/128"]
                tls: {cert: cert.pem, key: key.pem}
                auth: {require-tls: false}
                limits: {message-size: 10m, recipients: 5, errors: 3, error-delay: 10ms, idle-timeout: 1m, data-timeout: 2m, connections-per-client: 7}
                scan: [sig]
                on-virus: quarantine
                quarantine: q
                """);
        assertThat(s.hostname()).isEqualTo("mx.example.test");
        assertThat(s.greeting()).isEqualTo("hi there");
        assertThat(s.maildir()).contains(Path.of("/etc/berth/mail"));
        assertThat(s.users()).contains(Path.of("/etc/berth/users.txt"));
        assertThat(s.domains()).containsExactly("example.test");
        assertThat(s.relayTo()).contains(new HostPort("127.0.0.1", 10025));
        assertThat(s.relayNetworks()).hasSize(2);
        assertThat(s.relayNetworks().getFirst().contains(InetAddress.ofLiteral("127.0.0.1"))).isTrue();
        assertThat(s.relayNetworks().getFirst().contains(InetAddress.ofLiteral("127.0.0.2"))).isFalse();
        assertThat(s.tls()).isPresent();
        assertThat(s.authRequiresTls()).isFalse();
        assertThat(s.limits()).isEqualTo(new SmtpLimits(10L << 20, 5, 3, Duration.ofMillis(10), Duration.ofMinutes(1), Duration.ofMinutes(2), 7, 5, Duration.ofMinutes(10)));
        assertThat(s.scan().scanners()).hasSize(1);
        assertThat(s.onVirus()).isEqualTo(VirusAction.QUARANTINE);
        assertThat(s.quarantine()).contains(Path.of("/etc/berth/q"));
    }

    @Test
    void defaultsAreThoseOfTheDesign() {
        SmtpSettings s = parse("maildir: mail\nusers: users.txt\n");
        assertThat(s.hostname()).isEqualTo("localhost");
        assertThat(s.deliver()).isEqualTo(SmtpSettings.Deliver.MAILDIR);
        assertThat(s.authRequiresTls()).isTrue();
        assertThat(s.limits()).isEqualTo(SmtpLimits.defaults());
        assertThat(s.limits().messageSize()).isEqualTo(25L << 20);
        assertThat(s.relayNetworks()).isEmpty();
        assertThat(s.onVirus()).isEqualTo(VirusAction.REJECT);
    }

    @Test
    void unknownKeysAreRejectedWithASuggestion() {
        assertThatThrownBy(() -> parse("maildir: mail\nusers: users.txt\nrelay-netwroks: []\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("relay-netwroks").hasMessageContaining("relay-networks");
        assertThatThrownBy(() -> parse("maildir: mail\nusers: users.txt\nlimits: {mesage-size: 1m}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("message-size");
    }

    @Test
    void badValuesAreLocated() {
        assertThatThrownBy(() -> parse("deliver: pigeon\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("berth.yaml:1:").hasMessageContaining("maildir, relay");
        assertThatThrownBy(() -> parse("deliver: relay\n")).hasMessageContaining("relay-to");
        assertThatThrownBy(() -> parse("maildir: mail\n")).hasMessageContaining("users");
        assertThatThrownBy(() -> parse("deliver: relay\nrelay-to: nowhere\n")).hasMessageContaining("host:port");
        assertThatThrownBy(() -> parse("deliver: relay\nrelay-to: a:1\nrelay-networks: [10.0.0.0/33]\n")).hasMessageContaining("10.0.0.0/33");
        assertThatThrownBy(() -> parse("deliver: relay\nrelay-to: a:1\non-virus: quarantine\n")).hasMessageContaining("quarantine");
        assertThatThrownBy(() -> parse("deliver: relay\nrelay-to: a:1\nscan: [nope]\n")).hasMessageContaining("nope");
        assertThatThrownBy(() -> parse("deliver: relay\nrelay-to: a:1\nlimits: {idle-timeout: 0s}\n")).hasMessageContaining("idle-timeout");
    }

    @Test
    void theKindIsFoundByServiceLoader() {
        assertThat(ServiceLoader.load(ServiceKind.class).stream().map(p -> p.get().name())).contains("smtp");
    }

    @Test
    void cidrParses() {
        assertThat(Cidr.parse("::/0").orElseThrow().contains(InetAddress.ofLiteral("2001:db8::1"))).isTrue();
        assertThat(Cidr.parse("10.0.0.0/8").orElseThrow().contains(InetAddress.ofLiteral("10.200.1.1"))).isTrue();
        assertThat(Cidr.parse("::1").orElseThrow().contains(InetAddress.ofLiteral("::1"))).isTrue();
        assertThat(Cidr.parse("example.test")).isEmpty();
    }
}
