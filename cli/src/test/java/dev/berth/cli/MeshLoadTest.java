package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.mesh.Mesh;
import dev.berth.mesh.MeshCallException;
import dev.berth.mesh.MeshHandler;
import dev.berth.mesh.MeshReply;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class MeshLoadTest {

    /** A mesh whose calls are answered by {@code answer}, which may return a future completed later. */
    private record FakeMesh(Function<String, CompletableFuture<MeshReply>> answer) implements Mesh {
        @Override
        public CompletableFuture<MeshReply> call(String group, String key, String type, byte[] payload, Duration deadline) {
            return answer.apply(key);
        }

        @Override
        public void serve(String group, MeshHandler handler) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String describe() {
            return "fake";
        }

        @Override
        public void close() {
        }
    }

    private static MeshLoad load(Mesh mesh) {
        return new MeshLoad(mesh, "g", "k{i}", "", new byte[0], Duration.ofSeconds(1));
    }

    @Test
    void laterCallsStartOnTheThreadThatEndedAnEarlierOne() throws Exception {
        List<String> starters = new CopyOnWriteArrayList<>();
        BlockingQueue<CompletableFuture<MeshReply>> inFlight = new LinkedBlockingQueue<>();
        AtomicInteger most = new AtomicInteger();
        Mesh mesh = new FakeMesh(key -> {
            starters.add(Thread.currentThread().getName());
            CompletableFuture<MeshReply> reply = new CompletableFuture<>();
            inFlight.add(reply);
            most.accumulateAndGet(inFlight.size(), Math::max);
            return reply;
        });
        Thread main = Thread.currentThread();
        // the stand-in for the client's reader answers once the first calls are out and their
        // caller waits, so every later call is started by a callback on this thread
        Thread.ofPlatform().name("reader").start(() -> {
            long until = System.nanoTime() + 10_000_000_000L;
            while (main.getState() != Thread.State.WAITING && System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            CompletableFuture<MeshReply> next;
            try {
                while ((next = inFlight.poll(10, TimeUnit.SECONDS)) != null) {
                    next.complete(new MeshReply("b", new byte[0]));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        ObjectNode summary = load(mesh).run(6, 2);

        assertThat(summary.path("ok").asInt()).isEqualTo(6);
        assertThat(most.get()).isLessThanOrEqualTo(2);
        assertThat(starters).containsExactly(main.getName(), main.getName(), "reader", "reader", "reader", "reader");
    }

    @Test
    void callsThatFailAtOnceStartTheNextWithoutNesting() throws Exception {
        Mesh mesh = new FakeMesh(key -> CompletableFuture.failedFuture(new MeshCallException("ring full", "", false)));

        ObjectNode summary = load(mesh).run(200_000, 1);

        assertThat(summary.path("failed").asInt()).isEqualTo(200_000);
        assertThat(summary.path("errors").toString()).contains("MeshCallException: ring full");
    }
}
