package dev.berth.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecordsTest {

    static final Path FILE = Path.of("berth.yaml");

    static ServiceConfig service(String name, String pool) {
        return new ServiceConfig(name, "echo", pool, List.of(ListenAddress.parse("127.0.0.1:0")),
                ConfigSection.empty(FILE, "services[0].echo"));
    }

    @Test
    void workerCountNeedsMinAtMostStartAtMostMax() {
        assertThat(new WorkerCount(1, 4, 2)).isEqualTo(new WorkerCount(1, 4, 2));
        assertThatThrownBy(() -> new WorkerCount(0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WorkerCount(2, 4, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WorkerCount(1, 2, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("worker counts need 1 <= min <= start <= max, got min 1, start 3, max 2");
    }

    @Test
    void poolConfigChecksItsRangesAndCopiesOptions() {
        List<String> options = new ArrayList<>(List.of("-Xmx64m"));
        PoolConfig pool = new PoolConfig("web", new WorkerCount(1, 1, 1), 1, AcceptStrategy.SHARED, 0,
                Duration.ofMillis(1), Duration.ZERO, options);
        options.add("-Xss1m");

        assertThat(pool.jvmOptions()).containsExactly("-Xmx64m");
        assertThat(PoolConfig.defaults("x").workers()).isEqualTo(new WorkerCount(2, 2, 2));
        assertThatThrownBy(() -> new PoolConfig("web", new WorkerCount(1, 1, 1), 65, AcceptStrategy.SHARED, 0,
                Duration.ofSeconds(2), Duration.ZERO, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PoolConfig("web", new WorkerCount(1, 257, 1), 1, AcceptStrategy.SHARED, 0,
                Duration.ofSeconds(2), Duration.ZERO, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PoolConfig("web", new WorkerCount(1, 1, 1), 1, AcceptStrategy.SHARED, 0,
                Duration.ZERO, Duration.ZERO, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PoolConfig("Web", new WorkerCount(1, 1, 1), 1, AcceptStrategy.SHARED, 0,
                Duration.ofSeconds(1), Duration.ZERO, List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void acceptStrategyHasItsConfigName() {
        assertThat(AcceptStrategy.SHARED.configName()).isEqualTo("shared");
        assertThat(AcceptStrategy.byConfigName("shared")).contains(AcceptStrategy.SHARED);
        assertThat(AcceptStrategy.byConfigName("handoff")).contains(AcceptStrategy.HANDOFF);
        assertThat(AcceptStrategy.byConfigName("hand-off")).isEmpty();
    }

    @Test
    void serviceConfigNeedsAnAddressAndAValidName() {
        assertThatThrownBy(() -> new ServiceConfig("echo", "echo", "default", List.of(), ConfigSection.empty(FILE, "x")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> service("Echo", "default")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hostConfigChecksThatServicesNameKnownPools() {
        MasterConfig master = new MasterConfig(Path.of("/run"), Path.of("/log"), Optional.empty());
        List<PoolConfig> pools = List.of(PoolConfig.defaults("default"));

        assertThat(new HostConfig(FILE, "", master, pools, List.of(service("a", "default"))).pool("default"))
                .isPresent();
        assertThatThrownBy(() -> new HostConfig(FILE, "", master, pools, List.of(service("a", "web"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HostConfig(FILE, "", master, pools,
                List.of(service("a", "default"), service("a", "default")))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HostConfig(FILE, "", master, pools, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void masterConfigRejectsABlankUser() {
        assertThatThrownBy(() -> new MasterConfig(Path.of("/run"), Path.of("/log"), Optional.of(" ")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void locationPrintsTheFileAsGiven() {
        assertThat(new Location(Path.of("conf/berth.yaml"), 12, 5)).hasToString("conf/berth.yaml:12:5");
        assertThatThrownBy(() -> new Location(FILE, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void configExceptionJoinsItsProblems() {
        ConfigException e = new ConfigException(List.of("a.yaml:1:1: x: bad", "a.yaml:2:1: y: bad"));

        assertThat(e.problems()).containsExactly("a.yaml:1:1: x: bad", "a.yaml:2:1: y: bad");
        assertThat(e).hasMessage("a.yaml:1:1: x: bad\na.yaml:2:1: y: bad");
        assertThatThrownBy(() -> new ConfigException(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sectionsWithTheSameContentAreEqualWhereverTheyStand() {
        ConfigSection a = ConfigSection.parseYaml(FILE, "x: 1\ny: [a, b]\n");
        ConfigSection b = ConfigSection.parseYaml(Path.of("other.yaml"), "\n\ny: [a, b]\nx: 1\n");
        ConfigSection c = ConfigSection.parseYaml(FILE, "x: 2\ny: [a, b]\n");

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(c);
        assertThat(ConfigSection.empty(FILE, "a")).isEqualTo(ConfigSection.empty(FILE, "b"));
        assertThat(a).hasToString("at berth.yaml:1:1: {x=1, y=[a, b]}");
        assertThat(service("a", "default")).isEqualTo(service("a", "default"));
    }
}
