package dev.berth.mesh;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The owner's side of a slot: writes calls, cancels and answers into the request ring (one writer
 * at a time, under a lock), and runs the reader thread that takes replies and requests from the
 * reply ring, stamps the heartbeat and notices a dead or restarted proxy (failing the calls it
 * held). Handlers run on virtual threads, those that declare they do not block ({@link
 * MeshHandler#nonBlocking}) on the reader itself; deadlines on one timer thread ({@link Deadlines}).
 *
 * <pre>
 *   caller: register pending -&gt; write CALL -&gt; wake proxy if it sleeps
 *   reader: REPLY -&gt; complete pending | SERVE -&gt; handler (virtual thread, or here) -&gt; write ANSWER
 *   timer:  deadline -&gt; fail pending, write CANCEL
 * </pre>
 */
final class SlotClient implements Mesh {

    private static final System.Logger LOG = System.getLogger(SlotClient.class.getName());
    private static final long SPIN_NANOS = 20_000;
    /** How often the reader stamps the slot's heartbeat (and looks at the proxy). */
    static final long BEAT_NANOS = 250_000_000;

    private final SlotFile file;
    private final boolean ownsFile;
    private final Slot slot;
    private final int generation;
    private volatile long epoch;
    /** Whether the reader found the proxy of {@link #epoch} dead (and failed the calls it held). */
    private boolean proxyDead;
    private final long pid = ProcessHandle.current().pid();
    private final Map<Long, CompletableFuture<MeshReply>> pending = new ConcurrentHashMap<>();
    private final Map<Long, MeshHandler> handlers = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final ReentrantLock writer = new ReentrantLock();
    private final Deadlines deadlines;
    /** How long {@link #close} lets the requests in hand finish. */
    private static final long HANDLERS_GRACE_MILLIS = 1_000;
    private final ExecutorService handlerThreads = Executors.newVirtualThreadPerTaskExecutor();
    private final Thread reader;
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicBoolean shut = new java.util.concurrent.atomic.AtomicBoolean();

    private SlotClient(SlotFile file, boolean ownsFile, Slot slot) {
        this.file = file;
        this.ownsFile = ownsFile;
        this.slot = slot;
        this.generation = slot.generation();
        this.epoch = file.proxyEpoch();
        this.deadlines = new Deadlines("berth-mesh-timer", System::nanoTime);
        this.reader = Thread.ofPlatform().daemon().name("berth-mesh-reader").unstarted(this::readLoop);
    }

    /**
     * Claims a slot (a free one, else one whose owner is dead) and starts the reader.
     *
     * @param ownsFile whether {@link #close} closes the file too
     * @throws MeshException when every slot belongs to a live process
     */
    static SlotClient attach(SlotFile file, boolean ownsFile) {
        long pid = ProcessHandle.current().pid();
        long start = Liveness.selfStart();
        long now = System.nanoTime() / 1_000_000;
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < file.capacity(); i++) {
                Slot slot = file.slot(i);
                if (pass == 1 && Liveness.ownerDead(slot)) {
                    slot.reclaim(slot.owner());
                }
                if (slot.owner() == 0 && slot.claim(pid, start, now)) {
                    SlotClient client = new SlotClient(file, ownsFile, slot);
                    client.reader.start();
                    return client;
                }
            }
        }
        if (ownsFile) {
            file.close();
        }
        throw new MeshException("all " + file.capacity() + " slots of " + file.path() + " belong to live processes"
                + " (raise mesh.slots)");
    }

    @Override
    public CompletableFuture<MeshReply> call(String group, String key, String type, byte[] payload, Duration deadline) {
        long id = ids.incrementAndGet();
        long deadlineNanos = System.nanoTime() + deadline.toNanos();
        CompletableFuture<MeshReply> future = new CompletableFuture<>();
        if (closed) {
            future.completeExceptionally(new MeshCallException("the mesh client is closed", "", false));
            return future;
        }
        pending.put(id, future);
        Deadlines.Timeout timeout = deadlines.add(deadline.toNanos(), () -> expire(id));
        future.whenComplete((reply, failure) -> {
            timeout.cancel();
            if (failure instanceof CancellationException && pending.remove(id) != null) {
                send(new MeshRecord.Cancel(id), deadlineNanos);
            }
        });
        try {
            if (!send(new MeshRecord.Call(id, deadlineNanos, group, key, type, payload), deadlineNanos)) {
                fail(id, new MeshCallException("the slot's request ring stayed full until the deadline", "", true));
            } else {
                slot.countCall();
            }
        } catch (IllegalArgumentException e) {
            fail(id, new MeshCallException(e.getMessage(), "", false));
        }
        return future;
    }

    @Override
    public void serve(String group, MeshHandler handler) {
        handlers.put(Slot.hash(group), handler);
        slot.serve(group);
    }

    @Override
    public String describe() {
        return "slot " + slot.index() + " generation " + generation + " of " + file.path();
    }

    /** Writes one record, waiting for room until the deadline; wakes the proxy. */
    private boolean send(MeshRecord record, long deadlineNanos) {
        while (true) {
            boolean written;
            writer.lock();
            try {
                written = RecordCodec.write(slot.requests(), record);
            } finally {
                writer.unlock();
            }
            file.bell().ring();
            if (written) {
                return true;
            }
            if (closed || System.nanoTime() - deadlineNanos > 0) {
                return false;
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    private void expire(long id) {
        if (fail(id, new MeshCallException("no reply before the deadline", "", true))) {
            send(new MeshRecord.Cancel(id), System.nanoTime() + 1_000_000_000L);
        }
    }

    private boolean fail(long id, MeshCallException e) {
        CompletableFuture<MeshReply> future = pending.remove(id);
        return future != null && future.completeExceptionally(e);
    }

    private void readLoop() {
        long lastWork = System.nanoTime();
        long lastBeat = 0;
        while (!closed) {
            int records;
            try {
                records = slot.replies().read(this::onRecord, 64);
            } catch (CorruptRingException e) {
                LOG.log(System.Logger.Level.ERROR, "mesh reply ring of " + describe() + " is corrupt: " + e.getMessage());
                failAll("the proxy wrote a corrupt reply");
                return;
            }
            long now = System.nanoTime();
            if (records > 0) {
                lastWork = now;
                continue;
            }
            if (now - lastBeat >= BEAT_NANOS) {
                lastBeat = now;
                if (!stillOurs(now)) {
                    return;
                }
            }
            if (now - lastWork < SPIN_NANOS) {
                // yields rather than only spinning: on a machine of few cores the proxy's loop, awake
                // for this process's next record (ReplyWriter.AWAKE_NANOS), or the worker that
                // answers, may need this core (a hop 66 -> 42 us, docs/adr/0029)
                Thread.yield();
            } else {
                Wakeup.sleep(slot.ownerWaiter(), () -> closed || slot.replies().hasRecord(), BEAT_NANOS);
            }
        }
    }

    /** Stamps the heartbeat; false (after failing every call) when the slot was taken from us. */
    private boolean stillOurs(long now) {
        if (slot.owner() != pid || slot.generation() != generation) {
            LOG.log(System.Logger.Level.ERROR, "mesh " + describe() + " was reclaimed; calls fail from now on");
            closed = true;
            failAll("this process's mesh slot was reclaimed");
            return false;
        }
        slot.heartbeat(now / 1_000_000);
        long current = file.proxyEpoch();
        if (current != epoch) {
            epoch = current;
            if (!proxyDead) {
                failAll("the mesh proxy restarted");
            }
            proxyDead = false;
        } else if (!proxyDead && file.proxyPid() != 0 && (!pending.isEmpty() || proxyStale(now))
                && !Liveness.alive(file.proxyPid(), 0)) {
            // the calls it had read are lost with it: fail them now, not at their deadline; those
            // written from here on wait in the ring for its successor, which reads them
            proxyDead = true;
            failAll("the mesh proxy died");
        }
        return true;
    }

    /**
     * Whether the proxy's own heartbeat is old enough to look at its pid: while it beats, an idle
     * reader does not read {@code /proc} (the costliest part of its wake-up).
     */
    private boolean proxyStale(long now) {
        return now / 1_000_000 - file.proxyHeartbeat() > 3 * SlotAgent.TICK_MILLIS;
    }

    private void onRecord(int type, java.lang.foreign.MemorySegment data, long index, int length) {
        switch (RecordCodec.read(type, data, index, length)) {
            case MeshRecord.Reply r -> {
                CompletableFuture<MeshReply> future = pending.remove(r.id());
                if (future != null) {
                    if (r.ok()) {
                        future.complete(new MeshReply(r.node(), r.payload()));
                    } else {
                        future.completeExceptionally(new MeshCallException(
                                new String(r.payload(), StandardCharsets.UTF_8), r.node(), r.timedOut()));
                    }
                }
            }
            case MeshRecord.Serve s -> {
                MeshHandler handler = handlers.get(Slot.hash(s.group()));
                if (handler != null && !handler.blocks()) {
                    execute(s, handler);
                } else {
                    handlerThreads.execute(() -> execute(s, handler));
                }
            }
            default -> throw new CorruptRingException("a request-side record type " + type + " in the reply ring");
        }
    }

    /** Runs a request on this thread: the reader (a handler that does not block) or a virtual thread. */
    private void execute(MeshRecord.Serve s, MeshHandler handler) {
        MeshRequest request = new MeshRequest(s.group(), s.key(), s.requestType(), s.from(), s.payload(), s.deadlineNanos());
        try {
            if (handler == null) {
                throw new MeshException("this process does not serve " + s.group());
            }
            handler.onRequest(request).whenComplete((payload, failure) -> answer(s, payload, failure));
        } catch (Exception e) {
            answer(s, null, e);
        }
    }

    private void answer(MeshRecord.Serve s, byte[] payload, Throwable failure) {
        slot.countServed();
        MeshRecord.Answer answer = failure == null && payload != null
                ? new MeshRecord.Answer(s.id(), true, payload)
                : new MeshRecord.Answer(s.id(), false, String.valueOf(failure == null ? "handler returned null"
                        : failure.getMessage()).getBytes(StandardCharsets.UTF_8));
        try {
            send(answer, System.nanoTime() + 1_000_000_000L);
        } catch (IllegalArgumentException e) {
            send(new MeshRecord.Answer(s.id(), false, e.getMessage().getBytes(StandardCharsets.UTF_8)),
                    System.nanoTime() + 1_000_000_000L);
        }
    }

    /** Fails the calls pending now; not those a failure's callback makes meanwhile (the next of a load). */
    private void failAll(String why) {
        for (Long id : java.util.List.copyOf(pending.keySet())) {
            fail(id, new MeshCallException(why, "", false));
        }
    }

    @Override
    public void close() {
        if (!shut.compareAndSet(false, true)) {
            return;
        }
        boolean ours = !closed;
        closed = true;
        Wakeup.wake(slot.ownerWaiter());
        try {
            reader.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failAll("the mesh client is closed");
        deadlines.close();
        // requests in hand answer while the ring is still there; the proxy retries the others elsewhere
        handlerThreads.shutdown();
        try {
            handlerThreads.awaitTermination(HANDLERS_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        handlerThreads.shutdownNow();
        if (ours && slot.generation() == generation) {
            slot.release(pid);
        }
        if (ownsFile) {
            file.close();
        }
    }
}
