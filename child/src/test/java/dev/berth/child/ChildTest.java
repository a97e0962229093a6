package dev.berth.child;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.control.ControlChannel;
import dev.berth.control.ControlException;
import dev.berth.control.ControlMessage;
import dev.berth.posix.SeqpacketServer;
import dev.berth.scoreboard.Scoreboard;
import dev.berth.scoreboard.WorkerSlot;
import dev.berth.scoreboard.WorkerState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bootstrap against a master played by the test: a real control socket and scoreboard. */
class ChildTest {

    private static final long TOKEN = 77;
    private static final ControlMessage.Assignment ASSIGNMENT = new ControlMessage.Assignment("/b.yaml", "pools: {}",
            "web", 2, 3, List.of(), "");
    private static final Runnable NOTHING = () -> { };

    @TempDir
    Path dir;

    private Scoreboard scoreboard;
    private SeqpacketServer server;
    private ChildArguments arguments;

    @BeforeEach
    void setUp() {
        scoreboard = Scoreboard.create(dir.resolve("scoreboard"), 2);
        scoreboard.slot(1).assign(TOKEN, WorkerSlot.groupOf("worker", "web"));
        server = SeqpacketServer.listen(dir.resolve("worker.sock"), Duration.ofMillis(200));
        arguments = new ChildArguments("worker", dir.resolve("worker.sock"), dir.resolve("scoreboard"), 1, TOKEN);
    }

    @AfterEach
    void tearDown() {
        server.close();
        scoreboard.close();
    }

    @Test
    void aChildSaysHelloForItsSlotAndGetsItsAssignment() throws Exception {
        CompletableFuture<Child> attaching = CompletableFuture.supplyAsync(() -> Child.attach(arguments, () -> 5, NOTHING));
        try (ControlChannel master = new ControlChannel(server.accept().orElseThrow())) {
            assertThat(master.receive().orElseThrow().message()).isEqualTo(new ControlMessage.Hello(1, TOKEN));
            master.send(ASSIGNMENT);
            try (Child child = attaching.get(10, TimeUnit.SECONDS)) {
                assertThat(child.assignment()).isEqualTo(ASSIGNMENT);
                assertThat(child.fds()).isEmpty();
                assertThat(child.slot().index()).isEqualTo(1);
                assertThat(child.clock().getAsLong()).isEqualTo(5);
                assertThat(child.who()).isEqualTo("pool=web id=2 gen=3");

                child.ready();
                assertThat(master.receive().orElseThrow().message()).isEqualTo(new ControlMessage.Ready());
                assertThat(child.slot().state()).isEqualTo(WorkerState.READY);
            }
        }
    }

    @Test
    void awaitDrainSkipsOtherMessagesAndReturnsTheTimeout() throws Exception {
        CompletableFuture<Child> attaching = CompletableFuture.supplyAsync(() -> Child.attach(arguments, () -> 0, NOTHING));
        try (ControlChannel master = new ControlChannel(server.accept().orElseThrow())) {
            master.receive();
            master.send(ASSIGNMENT);
            try (Child child = attaching.get(10, TimeUnit.SECONDS)) {
                master.send(new ControlMessage.Ready());
                master.send(new ControlMessage.Drain(1500));
                assertThat(child.awaitDrain()).isEqualTo(OptionalLong.of(1500));
                master.close();
                assertThat(child.awaitDrain()).as("the master is gone").isEmpty();
            }
        }
    }

    @Test
    void aMasterThatAnswersSomethingElseFailsTheAttach() throws Exception {
        CompletableFuture<Child> attaching = CompletableFuture.supplyAsync(() -> Child.attach(arguments, () -> 0, NOTHING));
        try (ControlChannel master = new ControlChannel(server.accept().orElseThrow())) {
            master.receive();
            master.send(new ControlMessage.Drain(1));
            assertThatThrownBy(() -> attaching.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(ControlException.class)
                    .hasMessageContaining("expected an assignment");
        }
    }

    @Test
    void aSparePreparesBeforeItsHelloAndThenWaitsForItsAssignment() throws Exception {
        ChildArguments spare = new ChildArguments("worker", arguments.control(), arguments.scoreboard(), 1, TOKEN, true);
        CompletableFuture<Void> prepared = new CompletableFuture<>();
        CompletableFuture<Child> attaching = CompletableFuture.supplyAsync(() -> Child.attach(spare, () -> 0,
                () -> prepared.complete(null)));
        try (ControlChannel master = new ControlChannel(server.accept().orElseThrow())) {
            assertThat(master.receive().orElseThrow().message()).isEqualTo(new ControlMessage.Hello(1, TOKEN));
            assertThat(prepared).as("prepared by its Hello").isDone();
            assertThat(attaching).as("waits for its promotion").isNotDone();
            master.send(ASSIGNMENT);
            try (Child child = attaching.get(10, TimeUnit.SECONDS)) {
                assertThat(child.assignment()).isEqualTo(ASSIGNMENT);
            }
        }
    }

    @Test
    void aSpareWhosePreparationFailsStillTakesItsAssignment() throws Exception {
        ChildArguments spare = new ChildArguments("worker", arguments.control(), arguments.scoreboard(), 1, TOKEN, true);
        CompletableFuture<Child> attaching = CompletableFuture.supplyAsync(() -> Child.attach(spare, () -> 0, () -> {
            throw new IllegalStateException("no epoll here");
        }));
        try (ControlChannel master = new ControlChannel(server.accept().orElseThrow())) {
            master.receive();
            master.send(ASSIGNMENT);
            try (Child child = attaching.get(10, TimeUnit.SECONDS)) {
                assertThat(child.assignment()).isEqualTo(ASSIGNMENT);
            }
        }
    }

    @Test
    void aChildThatIsNoSpareDoesNotPrepare() throws Exception {
        CompletableFuture<Child> attaching = CompletableFuture.supplyAsync(() -> Child.attach(arguments, () -> 0, () -> {
            throw new AssertionError("only a spare prepares");
        }));
        try (ControlChannel master = new ControlChannel(server.accept().orElseThrow())) {
            master.receive();
            master.send(ASSIGNMENT);
            attaching.get(10, TimeUnit.SECONDS).close();
        }
    }

    @Test
    void aSlotWithAnotherTokenIsNotClaimed() {
        ChildArguments impostor = new ChildArguments("worker", arguments.control(), arguments.scoreboard(), 1, 78);

        assertThatThrownBy(() -> Child.attach(impostor, () -> 0, NOTHING)).isInstanceOf(IllegalStateException.class);
    }
}
