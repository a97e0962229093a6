package dev.berth.pop3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.config.ConfigSection;
import dev.berth.service.ServiceContext;
import dev.berth.service.ServiceHandler;
import dev.berth.service.ServiceSettings;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Pop3KindTest {

    @TempDir
    Path dir;

    private final Pop3Kind kind = new Pop3Kind();
    private final ServiceContext context = new ServiceContext("pop3", () -> { });

    @Test
    void theKindIsNamedPop3() {
        assertThat(kind.name()).isEqualTo("pop3");
    }

    @Test
    void aHandlerIsMadeFromTheSectionWithItsFilesRelativeToTheConfig() throws Exception {
        new TestMail(dir);
        TestServer.selfSigned(dir);
        ServiceSettings settings = kind.parseSettings(ConfigSection.parseYaml(dir.resolve("berth.yaml"), """
                maildir: mail
                users: users.txt
                tls: {cert: cert.pem, key: key.pem}
                """));

        assertThat(settings).isInstanceOfSatisfying(Pop3Settings.class, s -> {
            assertThat(s.maildir()).isEqualTo(dir.resolve("mail"));
            assertThat(s.tls()).isPresent();
        });
        try (ServiceHandler handler = kind.newHandler(settings, context)) {
            assertThat(handler).isInstanceOf(Pop3ServiceHandler.class);
        }
    }

    @Test
    void aMissingUsersFileFailsWhenTheHandlerIsMade() {
        ServiceSettings settings = kind.parseSettings(ConfigSection.parseYaml(dir.resolve("berth.yaml"),
                "maildir: mail\nusers: nobody.txt\n"));

        assertThatThrownBy(() -> kind.newHandler(settings, context))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("nobody.txt");
        assertThat(Files.exists(dir.resolve("mail"))).isFalse();
    }

    @Test
    void settingsOfAnotherKindAreRefused() {
        assertThatThrownBy(() -> kind.newHandler(new ServiceSettings() { }, context))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
