package dev.berth.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/tenants.yaml does what its comments say, as it ships (only its port is swapped for a
 * free one and its run directory for the one {@link Berth} asks), in a network namespace of the test's own so that its ANY listener faces nothing but
 * the namespace's loopback: 127.0.0.2 is acme's, 127.0.0.3 globex's, and curl's loopback
 * connection to 127.0.0.1, of no tenant's process, gets HTTP 421.
 */
class TenantsExampleTest {

    @Test
    void theTenantsExampleServesEachTenantOnItsAddressAndRefusesTheRest(@TempDir Path dir) throws Exception {
        assumeTrue(Processes.isRoot(), "network namespaces need root (CI runs as root)");
        try (Netns ns = Netns.create(0)) {
            int port = ns.freePorts(1)[0];
            String yaml = Files.readString(Path.of("../examples/tenants.yaml")).replace("0.0.0.0:8480", "0.0.0.0:" + port)
                    .replace("run-dir: run-tenants", "run-dir: run");
            assertThat(yaml).contains("0.0.0.0:" + port).contains("run-dir: run\n");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path jar = dir.resolve("berth.jar");
            Files.copy(Berth.JAR, jar);
            try (Berth berth = Berth.startThrough(ns.exec(), dir, yaml, jar)) {
                assertThat(curl(ns, "127.0.0.2", port)).isEqualTo("hello from acme\n200");
                assertThat(curl(ns, "127.0.0.3", port)).isEqualTo("hello from globex\n200");
                assertThat(curl(ns, "127.0.0.1", port)).endsWith("421");
                assertThat(Berth.workers(berth.status(), "web@acme")).hasSize(1);
                assertThat(Berth.workers(berth.status(), "web@globex")).hasSize(1);
            }
        }
    }

    /** The body and status code that curl gets inside the namespace. */
    private static String curl(Netns ns, String host, int port) {
        return ns.inside("curl", "-s", "-m", "5", "-w", "%{http_code}", "http://" + host + ":" + port + "/");
    }
}
