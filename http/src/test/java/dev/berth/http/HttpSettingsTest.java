package dev.berth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.config.ConfigException;
import dev.berth.config.ConfigSection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HttpSettingsTest {

    private static final Path FILE = Path.of("/etc/berth/berth.yaml");

    @Test
    void emptySectionGivesTheDefaults() {
        assertThat(HttpSettings.parse(ConfigSection.empty(FILE, "services[0].http")))
                .isEqualTo(HttpSettings.defaults())
                .satisfies(s -> {
                    assertThat(s.response()).isEqualTo("hello\n");
                    assertThat(s.keepAliveTimeout()).isEqualTo(Duration.ofSeconds(60));
                    assertThat(s.maxRequestsPerConnection()).isZero();
                    assertThat(s.root()).isEmpty();
                });
    }

    @Test
    void everyKeyIsRead() {
        HttpSettings settings = HttpSettings.parse(ConfigSection.parseYaml(FILE, """
                response: "ok"
                content-type: "text/html; charset=utf-8"
                root: site
                index: start.html
                keep-alive-timeout: 5s
                header-timeout: 2s
                max-requests-per-connection: 100
                """));

        assertThat(settings).isEqualTo(new HttpSettings("ok", "text/html; charset=utf-8",
                Optional.of(Path.of("/etc/berth/site")), "start.html", Duration.ofSeconds(5),
                Duration.ofSeconds(2), 100));
    }

    @Test
    void unknownKeyIsRejectedByName() {
        assertThatThrownBy(() -> HttpSettings.parse(ConfigSection.parseYaml(FILE, "keep-alive-timout: 5s\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("keep-alive-timout");
    }

    @Test
    void zeroKeepAliveTimeoutIsRejected() {
        assertThatThrownBy(() -> HttpSettings.parse(ConfigSection.parseYaml(FILE, "keep-alive-timeout: 0s\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("keep-alive-timeout");
    }

    @Test
    void indexWithASlashIsRejected() {
        assertThatThrownBy(() -> HttpSettings.parse(ConfigSection.parseYaml(FILE, "index: a/index.html\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("index");
    }

    @Test
    void negativeMaxRequestsIsRejected() {
        assertThatThrownBy(() -> HttpSettings.parse(
                ConfigSection.parseYaml(FILE, "max-requests-per-connection: -1\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("max-requests-per-connection");
    }
}
