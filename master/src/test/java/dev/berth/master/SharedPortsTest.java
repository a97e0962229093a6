package dev.berth.master;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.config.ConfigLoader;
import dev.berth.config.ListenAddress;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which listeners need SO_REUSEPORT so that a specific address and the wildcard share a port. */
class SharedPortsTest {

    @Test
    void aSpecificAddressAndTheWildcardOfItsFamilyOnOnePortArePaired() {
        Set<ListenAddress> shared = SharedPorts.of(ConfigLoader.parse(Path.of("b.yaml"), """
                services:
                  - {name: any, kind: http, listen: ["0.0.0.0:2525", "[::]:2525", "0.0.0.0:8080"]}
                  - {name: one, kind: http, listen: ["10.77.0.9:2525", "127.0.0.1:0"]}
                  - {name: other, kind: http, listen: ["127.0.0.1:9090"]}
                """, Set.of("http")));

        assertThat(shared).containsExactlyInAnyOrder(ListenAddress.parse("0.0.0.0:2525"), ListenAddress.parse("10.77.0.9:2525"));
    }
}
