package dev.berth.pop3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.config.ConfigException;
import dev.berth.config.ConfigSection;
import dev.berth.service.TlsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class Pop3SettingsTest {

    private static final Path FILE = Path.of("/etc/berth/berth.yaml");

    private static Pop3Settings parse(String yaml) {
        return Pop3Settings.parse(ConfigSection.parseYaml(FILE, yaml));
    }

    @Test
    void theTwoPathsAloneGiveTheDefaults() {
        assertThat(parse("maildir: mail\nusers: users.txt\n")).isEqualTo(new Pop3Settings(
                Path.of("/etc/berth/mail"), Path.of("/etc/berth/users.txt"), Optional.empty(), false,
                Duration.ofSeconds(1), Duration.ofMinutes(10)));
    }

    @Test
    void everyKeyIsRead() {
        assertThat(parse("""
                maildir: /var/mail
                users: users.txt
                tls: {cert: cert.pem, key: key.pem}
                allow-plaintext-auth: true
                auth-failure-delay: 10ms
                idle-timeout: 15m
                """)).isEqualTo(new Pop3Settings(Path.of("/var/mail"), Path.of("/etc/berth/users.txt"),
                Optional.of(new TlsSettings(Path.of("/etc/berth/cert.pem"), Path.of("/etc/berth/key.pem"))), true,
                Duration.ofMillis(10), Duration.ofMinutes(15)));
    }

    @Test
    void aMissingMaildirIsNamed() {
        assertThatThrownBy(() -> parse("users: users.txt\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("maildir").hasMessageContaining("missing");
    }

    @Test
    void aMissingUsersFileIsNamed() {
        assertThatThrownBy(() -> parse("maildir: mail\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("users").hasMessageContaining("missing");
    }

    @Test
    void unknownKeysAreRejectedByName() {
        assertThatThrownBy(() -> parse("maildir: mail\nusers: u\nidle-timout: 5m\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("idle-timout");
    }

    @Test
    void badValuesAreLocated() {
        assertThatThrownBy(() -> parse("maildir: mail\nusers: u\nidle-timeout: 0s\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("idle-timeout").hasMessageContaining(":3:");
        assertThatThrownBy(() -> parse("maildir: mail\nusers: u\nallow-plaintext-auth: maybe\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("allow-plaintext-auth");
        assertThatThrownBy(() -> parse("maildir: mail\nusers: u\nauth-failure-delay: soon\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("auth-failure-delay");
        assertThatThrownBy(() -> parse("maildir: mail\nusers: u\ntls: {cert: c.pem}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("key");
    }

    @Test
    void theKindIsFoundByTheServiceLoader() {
        assertThat(java.util.ServiceLoader.load(dev.berth.service.ServiceKind.class).stream()
                .map(p -> p.get().name())).contains("pop3");
    }
}
