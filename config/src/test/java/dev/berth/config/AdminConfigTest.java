package dev.berth.config;

import static dev.berth.config.ConfigLoaderTest.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdminConfigTest {

    private static final String SERVICES = """
            services:
              - {name: echo, kind: echo, listen: ["127.0.0.1:7"]}
            """;

    @Test
    void adminIsOffAndLogsAreTextUnlessSaidOtherwise() {
        MasterConfig master = parse(SERVICES).master();
        assertThat(master.admin()).isEmpty();
        assertThat(master.logFormat()).isEqualTo(MasterConfig.LogFormat.TEXT);
    }

    @Test
    void adminTakesAnAddressOrABarePortOnLoopback() {
        assertThat(parse("master: {admin: \"[::1]:0\"}\n" + SERVICES).master().admin())
                .contains(new ListenAddress("::1", 0));
        assertThat(parse("master: {admin: 8025}\n" + SERVICES).master().admin())
                .isEqualTo(Optional.of(new ListenAddress("127.0.0.1", 8025)));
    }

    @Test
    void logFormatJsonIsRead() {
        assertThat(parse("master: {log-format: json}\n" + SERVICES).master().logFormat())
                .isEqualTo(MasterConfig.LogFormat.JSON);
    }

    @Test
    void badAdminAddressAndLogFormatNameTheKeyTheValueAndWhatIsAccepted() {
        assertThatThrownBy(() -> parse("master: {admin: \"localhost:8025\", log-format: xml}\n" + SERVICES))
                .hasMessageContaining("master.admin")
                .hasMessageContaining("localhost")
                .hasMessageContaining("master.log-format")
                .hasMessageContaining("\"xml\"")
                .hasMessageContaining("text or json");
    }
}
