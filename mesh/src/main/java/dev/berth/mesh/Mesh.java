package dev.berth.mesh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A process's way into the mesh (DESIGN.md §8): it owns one slot of the host's slot file, sends
 * calls to the proxy through the slot's request ring and gets their replies through the reply ring;
 * requests for the groups it {@link #serve serves} arrive the same way.
 *
 * <p>Thread-safe: any thread may call. Nothing blocks: every call returns a future at once (a full
 * request ring is waited out on the calling thread for at most the call's deadline). Futures
 * complete on the client's reader thread or its timer thread; do not block in their callbacks. A
 * caller that continues in the callback (and may start its next call there) is faster than one that
 * waits in {@code get()}: that thread has to be woken, 13-19 µs per call here (docs/adr/0029).
 * Cancelling a future cancels the call at the proxy and at the executing node.
 */
public interface Mesh extends AutoCloseable {

    /** The slot file's name in the master's run directory. */
    String SLOT_FILE = "mesh-slots";

    /**
     * Claims a slot of the file for this process and starts the reader thread.
     *
     * @throws MeshException when the file cannot be opened or has no free slot
     */
    static Mesh attach(Path slotFile) {
        return SlotClient.attach(SlotFile.open(slotFile), true);
    }

    /**
     * The process's one shared client for the master whose run directory is {@code runDir},
     * attached on first use and closed at JVM exit. Service kinds use this.
     *
     * @throws MeshException when it cannot attach
     */
    static Mesh shared(Path runDir) {
        return SharedMesh.of(runDir.resolve(SLOT_FILE));
    }

    /**
     * Sends one call.
     *
     * @param group the mesh group (a key of {@code mesh.groups})
     * @param key the routing key (routed groups: the same key lands on the same node), may be empty
     * @param type the request type (keyed groups pick the member by it), may be empty
     * @param payload the request bytes
     * @param deadline how long the caller waits; the executing node is told the time left
     * @return the reply, or a failure with {@link MeshCallException}
     */
    CompletableFuture<MeshReply> call(String group, String key, String type, byte[] payload, Duration deadline);

    /**
     * Sends every call at once and completes when all have answered, in the order given; the first
     * failure (or the deadline) fails the whole and cancels the calls still running.
     */
    default CompletableFuture<List<MeshReply>> all(List<MeshCall> calls, Duration deadline) {
        return FanOut.quorum(this, calls, calls.size(), deadline);
    }

    /** Sends every call at once; the first reply wins and the others are cancelled. Fails when all fail. */
    default CompletableFuture<MeshReply> first(List<MeshCall> calls, Duration deadline) {
        return FanOut.quorum(this, calls, 1, deadline).thenApply(List::getFirst);
    }

    /**
     * Sends every call at once and completes with the first {@code needed} replies, in the order
     * they came; the rest are cancelled. Fails as soon as {@code needed} can no longer be reached, or
     * at the deadline.
     */
    default CompletableFuture<List<MeshReply>> quorum(List<MeshCall> calls, int needed, Duration deadline) {
        return FanOut.quorum(this, calls, needed, deadline);
    }

    /**
     * Executes the requests the proxy routes to this process for {@code group}: announces the group
     * in the slot and hands each request to {@code handler}. A process serves at most four groups.
     */
    void serve(String group, MeshHandler handler);

    /** Which slot this process holds, and its generation: for status and tests. */
    String describe();

    /** Fails the calls still waiting, gives the slot back, and stops the reader thread. Idempotent. */
    @Override
    void close();
}
