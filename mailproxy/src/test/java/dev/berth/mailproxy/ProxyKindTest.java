package dev.berth.mailproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.config.ConfigLoader;
import dev.berth.config.HostConfig;
import dev.berth.config.ServiceConfig;
import dev.berth.service.ServiceContext;
import dev.berth.service.ServiceHandler;
import dev.berth.service.ServiceKind;
import dev.berth.service.ServiceKinds;
import dev.berth.service.ServiceSettings;
import dev.berth.testpeers.Peer;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Both kinds through the SPI: found by the ServiceLoader, parsing the shipped example file. */
class ProxyKindTest {

    @Test
    void bothKindsAreInstalled() {
        ServiceKinds kinds = ServiceKinds.installed();
        assertThat(kinds.names()).contains("pop3-proxy", "imap-proxy");
        assertThat(kinds.kind("pop3-proxy")).isInstanceOf(Pop3ProxyKind.class);
        assertThat(kinds.kind("imap-proxy")).isInstanceOf(ImapProxyKind.class);
    }

    @Test
    void theExampleFileParsesAndItsProxiesStart() throws Exception {
        Path example = Peer.peers().getParent().resolve("examples/mail.yaml");
        Set<String> names = new HashSet<>(ServiceKinds.installed().names());
        names.addAll(List.of("smtp", "pop3", "echo", "http"));
        HostConfig config = ConfigLoader.load(example, names);
        List<ServiceConfig> proxies = config.services().stream()
                .filter(s -> s.kind().equals("pop3-proxy") || s.kind().equals("imap-proxy")).toList();
        assertThat(proxies).hasSizeGreaterThanOrEqualTo(3);
        for (ServiceConfig service : proxies) {
            ServiceKind kind = ServiceKinds.installed().kind(service.kind());
            ServiceSettings settings = kind.parseSettings(service.settings(), config);
            assertThat(settings).isInstanceOf(ProxySettings.class);
            try (ServiceHandler handler = kind.newHandler(settings, new ServiceContext(service.name(), () -> { }))) {
                assertThat(handler).isNotNull();
            }
        }
    }

    @Test
    void settingsOfTheOtherKindAreRefused() {
        ProxySettings imap = TestRuntime.generic(Protocol.IMAP).settings();
        assertThatThrownBy(() -> new Pop3ProxyKind().newHandler(imap, new ServiceContext("x", () -> { })))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
