package dev.berth.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.config.AcceptStrategy;
import dev.berth.control.ControlException;
import dev.berth.control.ControlMessage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an assignment becomes in a worker: its pool, handlers, listeners and acceptors. */
class WorkerServicesTest {

    private static final String CONFIG = """
            master: {run-dir: run}
            pools:
              web: {workers: 2, threads: 1, accept: %s}
            services:
              - {name: echo, kind: echo, pool: web, listen: ["127.0.0.1:0", "[::1]:0"]}
            """;
    private static final List<ControlMessage.Listener> TWO = List.of(new ControlMessage.Listener("echo", "127.0.0.1:1"),
            new ControlMessage.Listener("echo", "[::1]:1"));

    @TempDir
    Path dir;

    private Fixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new Fixture(dir);
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    @Test
    void aSharedWorkerGetsOneHandlerPerServiceAndOneAcceptorPerListener() {
        WorkerServices services = WorkerServices.of(assignment("shared", TWO), twoListeners(), fixture.slot);
        assertThat(services.pool().accept()).isEqualTo(AcceptStrategy.SHARED);
        assertThat(services.handlers()).containsOnlyKeys("echo");
        assertThat(services.bindings()).extracting(ListenerBinding::service).containsExactly("echo", "echo");
        assertThat(services.acceptLock()).isEqualTo(dir.resolve("run/accept-web.lock"));
        assertThat(Acceptors.beats(services)).as("one accept thread per listener").isEqualTo(2);
        services.closeListeners();
    }

    @Test
    void aMutexWorkerStampsOneEntryWhateverItsListeners() {
        WorkerServices services = WorkerServices.of(assignment("mutex", TWO), twoListeners(), fixture.slot);
        assertThat(Acceptors.beats(services)).isEqualTo(1);
        services.closeListeners();
    }

    @Test
    void descriptorsThatDoNotMatchTheListenersAreRefusedAndClosed() {
        int fd = Fixture.listener().fd();
        assertThatThrownBy(() -> WorkerServices.of(assignment("shared", TWO), new int[] {fd}, fixture.slot))
                .isInstanceOf(ControlException.class)
                .hasMessage("assignment of 2 listeners came with 1 fds");
        assertThat(Path.of("/proc/self/fd/" + fd)).doesNotExist();
    }

    @Test
    void aHandoffWorkerTakesNoDescriptors() {
        WorkerServices services = WorkerServices.of(assignment("handoff", TWO), new int[0], fixture.slot);
        assertThat(services.bindings()).isEmpty();
        assertThat(services.handlers()).containsOnlyKeys("echo");
    }

    @Test
    void aTenantGroupsWorkerServesItsGroupsServicesThroughItsLane() {
        String config = """
                master: {run-dir: run}
                groups: {acme: {addresses: [10.77.0.1]}, globex: {addresses: [10.77.0.2]}}
                pools:
                  web: {workers: 2, threads: 1}
                services:
                  - {name: plain, kind: echo, pool: web, listen: ["127.0.0.1:0"]}
                  - {name: echo, kind: echo, pool: web, listen: ["0.0.0.0:0"], groups: [acme, globex]}
                """;
        ControlMessage.Assignment acme = new ControlMessage.Assignment(dir.resolve("berth.yaml").toString(), config,
                "web@acme", 1, 1, List.of(new ControlMessage.Listener("echo", "0.0.0.0:1")),
                dir.resolve("dispatch-web@acme-1.sock").toString());

        WorkerServices services = WorkerServices.of(acme, new int[0], fixture.slot);

        assertThat(services.pool().group()).contains("acme");
        assertThat(services.pool().accept()).isEqualTo(AcceptStrategy.HANDOFF);
        assertThat(services.handlers()).containsOnlyKeys("echo");
        assertThat(services.bindings()).isEmpty();
    }

    @Test
    void anUnknownPoolIsRefused() {
        ControlMessage.Assignment elsewhere = new ControlMessage.Assignment(dir.resolve("berth.yaml").toString(),
                CONFIG.formatted("shared"), "mail", 1, 1, List.of(), "");
        assertThatThrownBy(() -> WorkerServices.of(elsewhere, new int[0], fixture.slot))
                .isInstanceOf(ControlException.class)
                .hasMessage("assigned to unknown pool mail");
    }

    /** Two listening sockets whose descriptors the caller owns. */
    private static int[] twoListeners() {
        return new int[] {Fixture.listener().fd(), Fixture.listener().fd()};
    }

    private ControlMessage.Assignment assignment(String accept, List<ControlMessage.Listener> listeners) {
        return new ControlMessage.Assignment(dir.resolve("berth.yaml").toString(), CONFIG.formatted(accept), "web", 1, 1,
                listeners, accept.equals("handoff") ? dir.resolve("dispatch.sock").toString() : "");
    }
}
