package dev.berth.mesh;

import dev.berth.config.MeshConfig;
import dev.berth.testpeers.Await;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The slot protocol between two real processes, this test standing in for the proxy. */
class SlotProtocolTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void killChildren() {
        children.forEach(Process::destroyForcibly);
    }

    private Process child(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                SlotChild.class.getName()));
        command.addAll(List.of(args));
        Path log = dir.resolve("child-" + children.size() + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        children.add(process);
        logs.add(log);
        return process;
    }

    private final List<Path> logs = new ArrayList<>();

    private String output(Process process) {
        try {
            return java.nio.file.Files.readString(logs.get(children.indexOf(process)));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private String awaitLine(Process process) {
        Await.require("the child ready", WAIT, () -> output(process).contains("\n") || !process.isAlive());
        return output(process).lines().findFirst().orElse("");
    }

    private static Slot owned(SlotFile file) {
        for (int i = 0; i < file.capacity(); i++) {
            if (file.slot(i).state() == SlotState.ACTIVE) {
                return file.slot(i);
            }
        }
        throw new AssertionError("no active slot");
    }

    @Test
    void twoProcessesExchangeManyRecordsAcrossRingWrapsAndFutexWakeUps() throws Exception {
        try (SlotFile file = SlotFile.create(dir.resolve("slots"), 2, 8192)) {
            int n = 3_000;
            Process child = child("calls", file.path().toString(), Integer.toString(n));
            assertThat(awaitLine(child)).isEqualTo("ready");
            Slot slot = owned(file);
            AtomicInteger replied = new AtomicInteger();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (replied.get() < n && System.nanoTime() < deadline) {
                int got = slot.requests().read((type, data, index, length) -> {
                    MeshRecord.Call call = (MeshRecord.Call) RecordCodec.read(type, data, index, length);
                    while (!RecordCodec.write(slot.replies(), new MeshRecord.Reply(call.id(), true, "p", call.payload()))) {
                        Thread.onSpinWait();
                    }
                    Wakeup.wake(slot.ownerWaiter());
                    replied.incrementAndGet();
                }, 64);
                if (got == 0) {
                    Wakeup.sleep(file.doorbell(), slot.requests()::hasRecord, 100_000_000L);
                }
            }
            boolean exited = child.waitFor(20, TimeUnit.SECONDS);
            if (!exited) {
                child.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            assertThat(exited).as("child exited; replied " + replied + ": " + output(child)).isTrue();
            assertThat(child.exitValue()).as(output(child)).isZero();
            assertThat(replied).hasValue(n);
            assertThat(slot.state()).isEqualTo(SlotState.FREE);
        }
    }

    @Test
    void aRecordTornBySigkillIsNeverReadAndTheSlotIsReclaimedWithANewGeneration() throws Exception {
        try (SlotFile file = SlotFile.create(dir.resolve("slots"), 2, 8192)) {
            Process child = child("torn", file.path().toString());
            assertThat(awaitLine(child)).isEqualTo("ready");
            Slot slot = owned(file);
            int generation = slot.generation();
            assertThat(slot.requests().size()).isPositive();
            assertThat(slot.requests().hasRecord()).isFalse();
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            long killed = System.nanoTime();
            SlotAgent agent = agent(file, (node, request, done) -> () -> { });
            Await.require("the slot reclaimed", WAIT, () -> {
                agent.pollOnce();
                agent.tick(System.nanoTime() / 1_000_000);
                return slot.state() == SlotState.FREE;
            });
            assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThan(Duration.ofSeconds(2));
            assertThat(slot.generation()).isGreaterThan(generation);
            assertThat(slot.requests().size()).isZero();
            SlotChild.claim(file);
            assertThat(slot.generation()).isGreaterThan(generation + 1);
        }
    }

    @Test
    void aReplyWrittenWhileTheSlotsAreReadKeepsTheLoopAwakeUntilTheNextRequest() {
        try (SlotFile file = SlotFile.create(dir.resolve("slots"), 1, 8192)) {
            long[] now = {1_000_000_000L};
            SlotAgent agent = agent(file, (node, request, done) -> {
                done.accept(new Outcome.Ok("b", request.payload()));
                return () -> { };
            }, () -> now[0]);
            Slot slot = SlotChild.claim(file);
            RecordCodec.write(slot.requests(), new MeshRecord.Call(1, System.nanoTime() + WAIT.toNanos(), "g", "", "",
                    new byte[1]));

            assertThat(agent.drain()).isEqualTo(1);
            assertThat(slot.replies().hasRecord()).as("answered at once").isTrue();
            assertThat(agent.expecting()).isTrue();

            RecordCodec.write(slot.requests(), new MeshRecord.Cancel(9));
            agent.drain();
            assertThat(agent.expecting()).as("a request came").isFalse();
        }
    }

    @Test
    void aRequestWakesTheSleepingEventLoopThroughTheDoorbellPipe() throws Exception {
        try (SlotFile file = SlotFile.create(dir.resolve("slots"), 2, 8192)) {
            AtomicInteger sent = new AtomicInteger();
            Transport counting = (node, request, done) -> {
                sent.incrementAndGet();
                return () -> { };
            };
            // no beat: nothing but the doorbell wakes this loop
            try (OnLoop _ = new OnLoop(file, agent(file, counting), false);
                 SlotClient mesh = SlotClient.attach(file, false)) {
                Await.require("the loop asleep in epoll_wait", WAIT,
                        () -> file.doorbell().get(java.lang.foreign.ValueLayout.JAVA_INT, 0) == Doorbell.POLL);
                mesh.call("g", "", "", new byte[1], WAIT);
                Await.require("the call read and sent", WAIT, () -> sent.get() == 1);
                Await.require("the loop asleep again", WAIT,
                        () -> file.doorbell().get(java.lang.foreign.ValueLayout.JAVA_INT, 0) == Doorbell.POLL);
                mesh.call("g", "", "", new byte[1], WAIT);
                Await.require("the second call read and sent", WAIT, () -> sent.get() == 2);
            }
        }
    }

    @Test
    void aDeadCallersCallIsCancelledAndItsSlotReclaimedWithinASecond() throws Exception {
        try (SlotFile file = SlotFile.create(dir.resolve("slots"), 2, 8192)) {
            AtomicInteger cancelled = new AtomicInteger();
            try (OnLoop _ = new OnLoop(file, agent(file, (node, request, done) -> cancelled::incrementAndGet), true)) {
                Process child = child("hold", file.path().toString());
                assertThat(awaitLine(child)).isEqualTo("ready");
                Slot slot = owned(file);
                int generation = slot.generation();
                child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                long killed = System.nanoTime();
                Await.require("the call cancelled", WAIT, () -> cancelled.get() == 1);
                Await.require("the slot free", WAIT, () -> slot.state() == SlotState.FREE);
                assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThan(Duration.ofSeconds(2));
                assertThat(new ReplyWriter(file).deliver(slot.index(), generation, new MeshRecord.Reply(1, true, "b",
                        new byte[0]))).as("a reply for the dead generation").isFalse();
            }
        }
    }

    @Test
    void callsHeldByADeadProxyFailAtOnceAndThoseMadeBeforeItsSuccessorCameAreServedByIt() throws Exception {
        try (SlotFile file = SlotFile.create(dir.resolve("slots"), 2, 8192)) {
            Process proxy = new ProcessBuilder("sleep", "120").start();
            children.add(proxy);
            file.attachProxy(proxy.pid());
            try (SlotClient mesh = SlotClient.attach(file, false)) {
                Slot slot = owned(file);
                var held = mesh.call("g", "", "", new byte[1], WAIT);
                assertThat(takeCall(slot)).isPositive();
                proxy.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                assertThatThrownBy(() -> held.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                        .hasMessageContaining("the mesh proxy died");
                var waiting = mesh.call("g", "", "", new byte[1], WAIT);
                file.attachProxy(ProcessHandle.current().pid());
                long id = takeCall(slot);
                RecordCodec.write(slot.replies(), new MeshRecord.Reply(id, true, "b", new byte[0]));
                Wakeup.wake(slot.ownerWaiter());
                assertThat(waiting.get(WAIT.toSeconds(), TimeUnit.SECONDS).node()).isEqualTo("b");
            }
        }
    }

    @Test
    void aHandlerThatDoesNotBlockRunsOnTheReaderAndAnyOtherOnAVirtualThread() {
        try (SlotFile file = SlotFile.create(dir.resolve("slots"), 2, 8192);
             SlotClient mesh = SlotClient.attach(file, false)) {
            Map<String, Thread> ran = new java.util.concurrent.ConcurrentHashMap<>();
            mesh.serve("quick", MeshHandler.nonBlocking(request -> {
                ran.put(request.group(), Thread.currentThread());
                return java.util.concurrent.CompletableFuture.completedFuture(request.payload());
            }));
            mesh.serve("slow", request -> {
                ran.put(request.group(), Thread.currentThread());
                return java.util.concurrent.CompletableFuture.completedFuture(request.payload());
            });
            Slot slot = owned(file);
            long deadline = System.nanoTime() + WAIT.toNanos();
            RecordCodec.write(slot.replies(), new MeshRecord.Serve(1, deadline, "quick", "", "", "b", new byte[] {1}));
            RecordCodec.write(slot.replies(), new MeshRecord.Serve(2, deadline, "slow", "", "", "b", new byte[] {2}));
            Wakeup.wake(slot.ownerWaiter());
            List<MeshRecord.Answer> answers = new ArrayList<>();
            Await.require("both answered", WAIT, () -> {
                slot.requests().read((type, data, index, length) ->
                        answers.add((MeshRecord.Answer) RecordCodec.read(type, data, index, length)), 2);
                return answers.size() == 2;
            });
            assertThat(answers).allMatch(MeshRecord.Answer::ok);
            assertThat(ran.get("quick").getName()).isEqualTo("berth-mesh-reader");
            assertThat(ran.get("slow").isVirtual()).isTrue();
        }
    }

    /** Reads one call from the slot's request ring as a proxy would; its id. */
    private static long takeCall(Slot slot) {
        long[] id = {0};
        Await.require("a call in the request ring", WAIT, () -> slot.requests().read((type, data, index, length) ->
                id[0] = ((MeshRecord.Call) RecordCodec.read(type, data, index, length)).id(), 1) == 1);
        return id[0];
    }

    @Test
    void aReplyForAnEarlierGenerationNeverReachesTheNewOwner() {
        try (SlotFile file = SlotFile.create(dir.resolve("slots"), 1, 8192)) {
            Slot slot = file.slot(0);
            assertThat(slot.claim(1, 0, 0)).isTrue();
            int first = slot.generation();
            slot.release(1);
            assertThat(slot.claim(2, 0, 0)).isTrue();
            ReplyWriter writer = new ReplyWriter(file);
            assertThat(writer.deliver(0, first, new MeshRecord.Reply(1, true, "b", new byte[0]))).isFalse();
            assertThat(slot.replies().hasRecord()).isFalse();
            assertThat(writer.deliver(0, slot.generation(), new MeshRecord.Reply(1, true, "b", new byte[0]))).isTrue();
            assertThat(slot.replies().hasRecord()).isTrue();
        }
    }

    @Test
    void aSlotOfAnotherLayoutVersionIsRefused() throws IOException {
        Path path = dir.resolve("slots");
        SlotFile.create(path, 1, 8192).close();
        byte[] bytes = java.nio.file.Files.readAllBytes(path);
        bytes[SlotDescriptor.VERSION_OFFSET] = 9;
        java.nio.file.Files.write(path, bytes);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SlotFile.open(path))
                .isInstanceOf(MeshException.class).hasMessageContaining("not a version 1");
    }

    /** A slot agent over a core whose one group "g" has one member, node "b", reached through {@code transport}. */
    private static SlotAgent agent(SlotFile file, Transport transport) {
        return agent(file, transport, System::nanoTime);
    }

    private static SlotAgent agent(SlotFile file, Transport transport, java.util.function.LongSupplier nanos) {
        Membership membership = new Membership("a");
        membership.node("b").up(true);
        GroupRouter router = new GroupRouter(new MeshConfig.Group("g", MeshConfig.Mode.NORMAL, List.of("b"), Map.of()),
                membership, System::nanoTime, new Random(1));
        ReplyWriter writer = new ReplyWriter(file, task -> { }, nanos);
        LocalServe local = new LocalServe(file, writer, "a", System::nanoTime);
        Deadlines deadlines = new Deadlines("test-deadlines", System::nanoTime);
        ProxyCore core = new ProxyCore("a", new ProxyCore.Parts(Map.of("g", router), local, transport, writer, deadlines),
                System::nanoTime, new MeshCounters(dev.berth.scoreboard.Counters.none()));
        return new SlotAgent(file, core, local, writer, now -> { });
    }

    /** An agent run as the proxy runs it: on one event loop, beating every tick when {@code beat}. */
    private static final class OnLoop implements AutoCloseable {

        private final SlotWatch watch;
        private final MultiThreadIoEventLoopGroup loops;

        OnLoop(SlotFile file, SlotAgent agent, boolean beat) {
            watch = new SlotWatch(file);
            loops = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory(0, watch));
            if (beat) {
                loops.scheduleAtFixedRate(() -> watch.beat(System.nanoTime() / 1_000_000), 0, SlotAgent.TICK_MILLIS,
                        TimeUnit.MILLISECONDS);
            }
            watch.start(loops.next(), agent);
        }

        @Override
        public void close() {
            watch.stop();
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            watch.close();
        }
    }
}
