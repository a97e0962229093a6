package dev.berth.mailproxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.config.HostPort;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UpstreamRouterTest {

    private static final List<HostPort> ALLOW = List.of(HostPort.parse("127.0.0.1:11110", 110),
            HostPort.parse("mail.example.org", 110), HostPort.parse("[::1]:1110", 110));

    private final UpstreamRouter byName = new UpstreamRouter(new Route.UserAtHost(), ALLOW, 110, Optional.empty());

    @Test
    void theNameIsSplitAtTheLastAtOrHash() {
        assertThat(byName.route("alice@127.0.0.1:11110"))
                .isEqualTo(new Routing.Routed(HostPort.parse("127.0.0.1:11110", 110), "alice"));
        assertThat(byName.route("bob@example.org@127.0.0.1:11110"))
                .isEqualTo(new Routing.Routed(HostPort.parse("127.0.0.1:11110", 110), "bob@example.org"));
        assertThat(byName.route("bob@example.org#127.0.0.1:11110"))
                .isEqualTo(new Routing.Routed(HostPort.parse("127.0.0.1:11110", 110), "bob@example.org"));
        assertThat(byName.route("a#b@mail.example.org"))
                .isEqualTo(new Routing.Routed(new HostPort("mail.example.org", 110), "a#b"));
    }

    @Test
    void theDefaultPortAndIpv6AreUnderstood() {
        assertThat(byName.route("alice@MAIL.example.org")).isInstanceOf(Routing.Routed.class);
        assertThat(byName.route("alice@[::1]:1110"))
                .isEqualTo(new Routing.Routed(new HostPort("::1", 1110), "alice"));
    }

    @Test
    void upstreamsOffTheAllowListAreRefused() {
        assertThat(byName.route("alice@127.0.0.1")).isEqualTo(new Routing.Refused("server 127.0.0.1:110 is not allowed"));
        assertThat(byName.route("alice@127.0.0.1:11111")).isInstanceOf(Routing.Refused.class);
        assertThat(byName.route("alice@evil.example:11110")).isInstanceOf(Routing.Refused.class);
    }

    @Test
    void namesWithoutAServerAreRefused() {
        assertThat(byName.route("alice")).isInstanceOf(Routing.Refused.class);
        assertThat(byName.route("alice@")).isInstanceOf(Routing.Refused.class);
        assertThat(byName.route("@127.0.0.1:11110")).isInstanceOf(Routing.Refused.class);
        assertThat(byName.route("alice@127.0.0.1:x")).isInstanceOf(Routing.Refused.class);
        assertThat(byName.route("alice@::1")).isInstanceOf(Routing.Refused.class);
    }

    @Test
    void aRefusalNeverEchoesTheServerPartOfTheName() {
        // found by Pop3ProxyFuzzTest: the host part of a SASL PLAIN name came back inside -ERR,
        // control characters and all, past a reply line's 512 octets
        for (String name : List.of("alice@127.0.0.1:11110I\r\nI", "alice@" + "h".repeat(600), "alice@h\u0007")) {
            Routing routing = byName.route(name);
            assertThat(routing).as(name).isInstanceOf(Routing.Refused.class);
            String reason = ((Routing.Refused) routing).reason();
            assertThat(reason).as(name).hasSizeLessThan(100).doesNotContain("\r", "\n", "\u0007", "hhhh");
        }
    }

    @Test
    void aFixedRouteKeepsTheWholeName() {
        UpstreamRouter fixed = new UpstreamRouter(new Route.Fixed(new HostPort("127.0.0.1", 11110)), List.of(), 110, Optional.empty());
        assertThat(fixed.route("alice@example.org"))
                .isEqualTo(new Routing.Routed(new HostPort("127.0.0.1", 11110), "alice@example.org"));
    }

    @Test
    void aUserMapRoutesListedUsersOnly() {
        UserMap map = UserMap.parse(List.of("# comment", "", "alice 127.0.0.1:11110", "bob  127.0.0.1:11110  bob@example.org",
                "carol 10.0.0.1"), 110, "users.map");
        UpstreamRouter open = new UpstreamRouter(new Route.UserMap(Path.of("users.map")), List.of(), 110, Optional.of(map));
        assertThat(open.route("alice")).isEqualTo(new Routing.Routed(new HostPort("127.0.0.1", 11110), "alice"));
        assertThat(open.route("bob")).isEqualTo(new Routing.Routed(new HostPort("127.0.0.1", 11110), "bob@example.org"));
        assertThat(open.route("carol")).isEqualTo(new Routing.Routed(new HostPort("10.0.0.1", 110), "carol"));
        assertThat(open.route("dave")).isEqualTo(new Routing.Refused("unknown user"));
        UpstreamRouter allowed = new UpstreamRouter(new Route.UserMap(Path.of("users.map")), ALLOW, 110, Optional.of(map));
        assertThat(allowed.route("alice")).isInstanceOf(Routing.Routed.class);
        assertThat(allowed.route("carol")).isInstanceOf(Routing.Refused.class);
    }

    @Test
    void badUserMapLinesAreNamed() {
        assertThatThrownBy(() -> UserMap.parse(List.of("alice"), 110, "m")).hasMessageStartingWith("m:1:");
        assertThatThrownBy(() -> UserMap.parse(List.of("a h", "a h"), 110, "m")).hasMessageStartingWith("m:2:").hasMessageContaining("twice");
        assertThatThrownBy(() -> UserMap.parse(List.of("a h:99999"), 110, "m")).hasMessageStartingWith("m:1:");
        assertThatThrownBy(() -> UserMap.parse(List.of("a b c d"), 110, "m")).hasMessageStartingWith("m:1:");
    }
}
