package dev.berth.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.config.ConfigSection;
import dev.berth.service.ServiceContext;
import dev.berth.service.ServiceKind;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpKindTest {

    @TempDir
    Path dir;

    @Test
    void kindIsFoundByTheServiceLoaderUnderItsName() {
        assertThat(ServiceLoader.load(ServiceKind.class).stream().map(ServiceLoader.Provider::get))
                .filteredOn(kind -> kind.name().equals("http"))
                .singleElement()
                .isInstanceOf(HttpKind.class);
    }

    @Test
    void handlerIsMadeFromParsedSettings() {
        HttpKind kind = new HttpKind();
        var settings = kind.parseSettings(ConfigSection.empty(dir.resolve("berth.yaml"), "services[0].http"));

        try (var handler = kind.newHandler(settings, new ServiceContext("web", () -> { }))) {
            assertThat(handler).isInstanceOf(HttpServiceHandler.class);
        }
    }

    @Test
    void missingRootFailsWhenTheHandlerIsMade() {
        HttpSettings settings = new HttpSettings("x", HttpSettings.DEFAULT_CONTENT_TYPE,
                Optional.of(dir.resolve("absent")), "index.html", Duration.ofSeconds(1),
                HttpSettings.DEFAULT_HEADER_TIMEOUT, 0);

        assertThatThrownBy(() -> new HttpKind().newHandler(settings, new ServiceContext("web", () -> { })))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("absent");
    }
}
