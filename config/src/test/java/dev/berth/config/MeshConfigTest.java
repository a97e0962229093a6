package dev.berth.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MeshConfigTest {

    private static final Path FILE = Path.of("berth.yaml");
    private static final Set<String> KINDS = Set.of("echo", "mesh-echo");

    private static HostConfig load(String yaml) {
        return ConfigLoader.parse(FILE, yaml, KINDS);
    }

    @Test
    void theDesignsExampleReadsIntoRecords() {
        HostConfig config = load("""
                mesh:
                  node: a
                  listen: 10.77.1.1:7400
                  members: [a=10.77.1.1:7400, b=10.77.1.2:7400, c=10.77.1.3:7400]
                  slots: 64
                  slot-size: 256k
                  groups:
                    quotes:    {mode: normal, members: [b, c]}
                    portfolio: {mode: routed, members: [b, c]}
                    photos:    {mode: keyed,  routes: {club: c, "*": b}}
                services:
                  - {name: quotes, kind: mesh-echo, pool: backend, mesh-group: quotes}
                pools:
                  backend: {}
                """);
        MeshConfig mesh = config.mesh().orElseThrow();
        assertThat(mesh.node()).contains("a");
        assertThat(mesh.listen()).isEqualTo(new ListenAddress("10.77.1.1", 7400));
        assertThat(mesh.members()).isEqualTo(new MeshConfig.Members.Listed(List.of(
                new MeshConfig.Member("a", "10.77.1.1", 7400), new MeshConfig.Member("b", "10.77.1.2", 7400),
                new MeshConfig.Member("c", "10.77.1.3", 7400))));
        assertThat(mesh.slotSize()).isEqualTo(256 * 1024);
        assertThat(mesh.groups().keySet()).containsExactly("quotes", "portfolio", "photos");
        assertThat(mesh.groups().get("photos").routes()).isEqualTo(Map.of("club", "c", "*", "b"));
        assertThat(mesh.connections()).isEqualTo(1);
        assertThat(mesh.pingInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(mesh.awake()).isEqualTo(Duration.ofNanos(50_000));
        assertThat(config.services().getFirst().meshGroup()).contains("quotes");
        assertThat(config.services().getFirst().listen()).isEmpty();
    }

    @Test
    void membersMayComeFromDns() {
        MeshConfig mesh = load("""
                mesh:
                  listen: 0.0.0.0:7400
                  members: {dns: "berth-mesh.ns.svc:7400", every: 2s}
                  groups: {quotes: {members: ["*"]}}
                services:
                  - {name: e, kind: echo, listen: ["127.0.0.1:7"]}
                """).mesh().orElseThrow();
        assertThat(mesh.members()).isEqualTo(new MeshConfig.Members.Dns("berth-mesh.ns.svc", 7400, Duration.ofSeconds(2)));
        assertThat(mesh.node()).isEqualTo(Optional.empty());
        assertThat(mesh.groups().get("quotes").mode()).isEqualTo(MeshConfig.Mode.NORMAL);
    }

    @Test
    void everyMistakeIsNamedWithItsPlace() {
        List<String> problems = ConfigErrorsTest.problems("""
                mesh:
                  listen: nowhere
                  members: [a=1.2.3.4:7400, b, a=1.2.3.5:7400]
                  slot-size: 100k
                  groups:
                    q: {mode: fast, members: [a]}
                    r: {mode: routed, members: [z]}
                    k: {mode: keyed}
                services:
                  - {name: e, kind: echo, listen: ["127.0.0.1:7"]}
                """);
        assertThat(problems).anySatisfy(p -> assertThat(p).startsWith("berth.yaml:2:11: mesh.listen:"))
                .anySatisfy(p -> assertThat(p).contains("members[1]: \"b\" is not name=host:port"))
                .anySatisfy(p -> assertThat(p).contains("node \"a\" appears twice"))
                .anySatisfy(p -> assertThat(p).contains("mesh.slot-size: \"100k\" is not a power of two"))
                .anySatisfy(p -> assertThat(p).contains("\"fast\" is not a mode"))
                .anySatisfy(p -> assertThat(p).contains("a keyed group needs routes"));
    }

    @Test
    void awakeTakesMicrosecondsAndZeroAndStopsAtTenMilliseconds() {
        for (String[] c : new String[][] {{"200us", "200000"}, {"0", "0"}, {"1ms", "1000000"}, {"10ms", "10000000"}}) {
            MeshConfig mesh = load("""
                    mesh:
                      listen: 127.0.0.1:7400
                      members: [a=127.0.0.1:7400]
                      awake: %s
                    services:
                      - {name: e, kind: echo, listen: ["127.0.0.1:7"]}
                    """.formatted(c[0])).mesh().orElseThrow();
            assertThat(mesh.awake().toNanos()).as(c[0]).isEqualTo(Long.parseLong(c[1]));
        }
        assertThat(ConfigErrorsTest.problems("""
                mesh:
                  listen: 127.0.0.1:7400
                  members: [a=127.0.0.1:7400]
                  awake: 11ms
                services:
                  - {name: e, kind: echo, listen: ["127.0.0.1:7"]}
                """)).anySatisfy(p -> assertThat(p).contains("mesh.awake: 11ms is longer than 10ms"));
        assertThat(ConfigErrorsTest.problems("""
                mesh:
                  listen: 127.0.0.1:7400
                  members: [a=127.0.0.1:7400]
                  awake: 50
                services:
                  - {name: e, kind: echo, listen: ["127.0.0.1:7"]}
                """)).anySatisfy(p -> assertThat(p).contains("mesh.awake").contains("has no unit"));
    }

    @Test
    void aGroupMayOnlyNameListedMembers() {
        assertThat(ConfigErrorsTest.problems("""
                mesh:
                  listen: 127.0.0.1:7400
                  members: [a=127.0.0.1:7400]
                  groups: {r: {mode: routed, members: [z]}, k: {mode: keyed, routes: {"*": y}}}
                services:
                  - {name: e, kind: echo, listen: ["127.0.0.1:7"]}
                """)).anySatisfy(p -> assertThat(p).contains("\"z\" is not a member of mesh.members"))
                .anySatisfy(p -> assertThat(p).contains("route \"*\" names \"y\", which is not a member"));
    }

    @Test
    void aPoolMayNotTakeTheMeshProxysPoolName() {
        assertThat(ConfigErrorsTest.problems("""
                mesh:
                  listen: 127.0.0.1:7400
                  members: [a=127.0.0.1:7400]
                pools:
                  mesh: {workers: 1}
                services:
                  - {name: e, kind: echo, pool: mesh, listen: ["127.0.0.1:7"]}
                """)).anySatisfy(p -> assertThat(p).contains("pool name \"mesh\" is the mesh proxy's own"));
    }

    @Test
    void aMeshGroupWithoutAMeshSectionIsAnError() {
        assertThat(ConfigErrorsTest.problems("""
                services:
                  - {name: q, kind: echo, mesh-group: quotes}
                """)).anySatisfy(p -> assertThat(p).contains("has a mesh-group but the file has no mesh section"));
    }
}
