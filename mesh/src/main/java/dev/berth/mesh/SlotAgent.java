package dev.berth.mesh;

import java.lang.foreign.MemorySegment;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * The proxy's duty loop over the slot file, on its own platform thread: reads every active slot's
 * request ring and hands the records to the {@link ProxyCore} and {@link LocalServe}; every
 * {@value #TICK_MILLIS} ms stamps the proxy's heartbeat and reclaims the slots of owners that died;
 * replies that waited for room are flushed as soon as it runs again. With nothing to do it spins
 * for {@link #spinNanos}, then sleeps on the doorbell futex until a process rings it or the next
 * tick: idle costs two wake-ups a second, a busy path no system call.
 */
final class SlotAgent implements Runnable {

    private static final System.Logger LOG = System.getLogger(SlotAgent.class.getName());
    static final long TICK_MILLIS = 500;
    /**
     * An owner whose heartbeat is older than this is checked for life (its beat comes every {@link
     * SlotClient#BEAT_NANOS}); with the tick, a dead owner's slot is free within 900 ms.
     */
    static final long STALE_MILLIS = 400;

    private final SlotFile file;
    private final ProxyCore core;
    private final LocalServe local;
    private final ReplyWriter writer;
    private final LongSupplier nanos;
    private final long spinNanos;
    private final LongConsumer onTick;
    private final int[] generations;
    private volatile boolean running = true;
    private int current;
    private int currentGeneration;

    /**
     * How the agent keeps time.
     *
     * @param nanos the monotonic clock
     * @param spinNanos how long it spins before it sleeps on the doorbell
     * @param onTick called at every tick with the monotonic milliseconds (the proxy's heartbeat)
     */
    record Timing(LongSupplier nanos, long spinNanos, LongConsumer onTick) {
    }

    SlotAgent(SlotFile file, ProxyCore core, LocalServe local, ReplyWriter writer, Timing timing) {
        this.file = file;
        this.core = core;
        this.local = local;
        this.writer = writer;
        this.nanos = timing.nanos();
        this.spinNanos = timing.spinNanos();
        this.onTick = timing.onTick();
        this.generations = new int[file.capacity()];
    }

    @Override
    public void run() {
        long lastWork = nanos.getAsLong();
        long lastTick = 0;
        while (running) {
            int work = 0;
            try {
                work = pollOnce();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "mesh slot agent", e);
            }
            long now = nanos.getAsLong();
            if (work > 0) {
                lastWork = now;
            }
            if (writer.backlogged()) {
                writer.flush();
            }
            if (now - lastTick >= TICK_MILLIS * 1_000_000) {
                lastTick = now;
                tick(now / 1_000_000);
            }
            if (work == 0) {
                if (now - lastWork < spinNanos) {
                    Thread.onSpinWait();
                } else {
                    // replies waiting for room: look again soon, since nobody rings when an owner reads
                    Wakeup.sleep(file.doorbell(), this::anyRequest,
                            writer.backlogged() ? 1_000_000 : TICK_MILLIS * 1_000_000);
                }
            }
        }
    }

    /** Stops the loop; it ends within one tick. */
    void stop() {
        running = false;
        Wakeup.wake(file.doorbell());
    }

    /** Reads every active slot once; the number of records handled. */
    int pollOnce() {
        int work = 0;
        for (int i = 0, used = file.used(); i < used; i++) {
            Slot slot = file.slot(i);
            if (slot.state() != SlotState.ACTIVE) {
                continue;
            }
            current = i;
            currentGeneration = slot.generation();
            try {
                work += slot.requests().read(this::onRecord, 256);
            } catch (CorruptRingException e) {
                LOG.log(System.Logger.Level.ERROR, "mesh slot " + i + " of pid " + slot.owner() + " is corrupt ("
                        + e.getMessage() + "); reclaiming it");
                reclaim(slot, slot.owner());
            }
        }
        return work;
    }

    /** Heartbeat and reclaim: once per tick. */
    void tick(long nowMillis) {
        file.proxyHeartbeat(nowMillis);
        onTick.accept(nowMillis);
        for (int i = 0, used = file.used(); i < used; i++) {
            Slot slot = file.slot(i);
            long owner = slot.owner();
            if (owner != 0 && nowMillis - slot.heartbeat() > STALE_MILLIS && Liveness.ownerDead(slot)) {
                reclaim(slot, owner);
            } else if (owner == 0 && generations[i] != slot.generation()) {
                // freed by its owner (or taken over) since we last looked: forget its calls
                generations[i] = slot.generation();
                core.onSlotReclaimed(i);
            }
        }
    }

    private void reclaim(Slot slot, long owner) {
        if (slot.reclaim(owner)) {
            LOG.log(System.Logger.Level.INFO, "mesh slot " + slot.index() + " reclaimed from dead pid " + owner);
        }
        generations[slot.index()] = slot.generation();
        core.onSlotReclaimed(slot.index());
    }

    private boolean anyRequest() {
        for (int i = 0, used = file.used(); i < used; i++) {
            Slot slot = file.slot(i);
            if (slot.state() == SlotState.ACTIVE && slot.requests().hasRecord()) {
                return true;
            }
        }
        return !running;
    }

    private void onRecord(int type, MemorySegment data, long index, int length) {
        switch (RecordCodec.read(type, data, index, length)) {
            case MeshRecord.Call call -> core.onSlotCall(current, currentGeneration, call);
            case MeshRecord.Cancel cancel -> core.onSlotCancel(current, currentGeneration, cancel.id());
            case MeshRecord.Answer answer -> local.onAnswer(current, currentGeneration, answer);
            default -> throw new CorruptRingException("a reply-side record type " + type + " in a request ring");
        }
    }
}
