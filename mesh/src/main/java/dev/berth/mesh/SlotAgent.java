package dev.berth.mesh;

import java.lang.foreign.MemorySegment;
import java.util.function.LongConsumer;

/**
 * The proxy's duties over the slot file, which its event loop runs ({@link SlotWatch}): {@link
 * #drain} reads every active slot's request ring and hands the records to the {@link ProxyCore}
 * and {@link LocalServe}, whenever the loop is awake and before it sleeps; {@link #tick}, every
 * {@value #TICK_MILLIS} ms with the loop's beat, stamps the proxy's heartbeat and reclaims the
 * slots of owners that died. Replies that waited for room are flushed at every drain (and by the
 * {@link ReplyWriter}'s own retry). Event loop only; never blocks beyond reading {@code /proc} for
 * an owner whose heartbeat is stale.
 */
final class SlotAgent {

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
    private final LongConsumer onTick;
    private final int[] generations;
    private int current;
    private int currentGeneration;

    /**
     * @param onTick called at every tick with the monotonic milliseconds (the proxy's heartbeat)
     */
    SlotAgent(SlotFile file, ProxyCore core, LocalServe local, ReplyWriter writer, LongConsumer onTick) {
        this.file = file;
        this.core = core;
        this.local = local;
        this.writer = writer;
        this.onTick = onTick;
        this.generations = new int[file.capacity()];
    }

    /**
     * Reads every active slot once and flushes the replies that wait for room; the number of
     * records read. A failure is logged, not thrown: the event loop goes on.
     */
    int drain() {
        int work = 0;
        try {
            work = pollOnce();
            if (writer.backlogged()) {
                writer.flush();
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "mesh slot agent", e);
        }
        return work;
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

    /**
     * Whether the loop should poll instead of sleeping: it wrote into a reply ring moments ago and
     * a request (the answer, the next call) has not come yet ({@link ReplyWriter#expecting}).
     */
    boolean expecting() {
        return writer.expecting();
    }

    /** Whether any active slot has a request waiting: the last look before the loop sleeps. */
    boolean anyRequest() {
        for (int i = 0, used = file.used(); i < used; i++) {
            Slot slot = file.slot(i);
            if (slot.state() == SlotState.ACTIVE && slot.requests().hasRecord()) {
                return true;
            }
        }
        return false;
    }

    private void onRecord(int type, MemorySegment data, long index, int length) {
        // before the record is handled, which may itself write a reply (a call answered at once)
        writer.answered();
        switch (RecordCodec.read(type, data, index, length)) {
            case MeshRecord.Call call -> core.onSlotCall(current, currentGeneration, call);
            case MeshRecord.Cancel cancel -> core.onSlotCancel(current, currentGeneration, cancel.id());
            case MeshRecord.Answer answer -> local.onAnswer(current, currentGeneration, answer);
            default -> throw new CorruptRingException("a reply-side record type " + type + " in a request ring");
        }
    }
}
