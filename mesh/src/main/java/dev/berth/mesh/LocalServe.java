package dev.berth.mesh;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Runs calls on this node: picks a local process that serves the group (an active slot with a
 * fresh heartbeat, fewest requests outstanding), sends it a SERVE record, and routes its ANSWER
 * back. The proxy itself never runs handler code. Thread-safe.
 */
final class LocalServe {

    /** A process whose heartbeat is older than this gets no new requests (stopped, or stuck). */
    static final long FRESH_MILLIS = 1000;

    private final SlotFile file;
    private final ReplyWriter writer;
    private final String node;
    private final LongSupplier nanos;
    private final Map<Long, Waiting> waiting = new ConcurrentHashMap<>();
    private final AtomicInteger[] outstanding;
    private final AtomicLong ids = new AtomicLong();

    private record Waiting(int slot, int generation, Consumer<Outcome> done) {
    }

    LocalServe(SlotFile file, ReplyWriter writer, String node, LongSupplier nanos) {
        this.file = file;
        this.writer = writer;
        this.node = node;
        this.nanos = nanos;
        this.outstanding = new AtomicInteger[file.capacity()];
        for (int i = 0; i < outstanding.length; i++) {
            outstanding[i] = new AtomicInteger();
        }
    }

    /**
     * Hands a request to a local process; {@code done} gets its answer (or why there is none).
     *
     * @return how to cancel it (its answer is then dropped)
     */
    Runnable dispatch(Exchange.Request request, Consumer<Outcome> done) {
        long groupHash = Slot.hash(request.group());
        long nowMillis = nanos.getAsLong() / 1_000_000;
        Slot best = null;
        for (int i = 0, used = file.used(); i < used; i++) {
            Slot slot = file.slot(i);
            if (slot.state() == SlotState.ACTIVE && slot.serves(groupHash) && nowMillis - slot.heartbeat() < FRESH_MILLIS
                    && (best == null || outstanding[i].get() < outstanding[best.index()].get())) {
                best = slot;
            }
        }
        if (best == null) {
            done.accept(new Outcome.Unavailable(node, "no worker of node " + node + " serves " + request.group()));
            return () -> { };
        }
        long id = ids.incrementAndGet();
        int index = best.index();
        int generation = best.generation();
        waiting.put(id, new Waiting(index, generation, done));
        outstanding[index].incrementAndGet();
        MeshRecord.Serve serve = new MeshRecord.Serve(id, request.deadlineNanos(), request.group(), request.key(),
                request.type(), request.from(), request.payload());
        if (!writer.deliver(index, generation, serve)) {
            finish(id, new Outcome.Unavailable(node, "the worker of node " + node + " went away"));
        }
        return () -> forget(id);
    }

    /** Event loop, reading the slots: a process answered. */
    void onAnswer(int slot, int generation, MeshRecord.Answer answer) {
        Waiting w = waiting.get(answer.id());
        if (w == null || w.slot() != slot || w.generation() != generation) {
            return;
        }
        finish(answer.id(), answer.ok() ? new Outcome.Ok(node, answer.payload())
                : new Outcome.HandlerError(node, new String(answer.payload(), java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** Event loop, reading the slots: the process of slot {@code index} is gone; what it was serving fails. */
    void onReclaimed(int index) {
        waiting.forEach((id, w) -> {
            if (w.slot() == index) {
                finish(id, new Outcome.Unavailable(node, "the worker of node " + node + " died"));
            }
        });
    }

    /** Requests handed to local processes and not yet answered. */
    int waiting() {
        return waiting.size();
    }

    private void finish(long id, Outcome outcome) {
        Waiting w = waiting.remove(id);
        if (w != null) {
            outstanding[w.slot()].decrementAndGet();
            w.done().accept(outcome);
        }
    }

    private void forget(long id) {
        Waiting w = waiting.remove(id);
        if (w != null) {
            outstanding[w.slot()].decrementAndGet();
        }
    }
}
