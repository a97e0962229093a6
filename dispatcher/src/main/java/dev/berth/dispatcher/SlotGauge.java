package dev.berth.dispatcher;

import dev.berth.posix.ProcStat;
import dev.berth.scoreboard.WorkerSlot;

/**
 * A linked worker as its scoreboard slot shows it, and as {@code /proc} shows the process whose pid
 * the slot holds. A stat it cannot read counts as not stopped: the worker is then judged by its ack
 * alone, as a live one.
 *
 * @param slot the worker's slot, verified at link time
 */
record SlotGauge(WorkerSlot slot) implements WorkerGauge {

    @Override
    public long active() {
        return slot.active();
    }

    @Override
    public long countedBatch() {
        return slot.countedBatch();
    }

    @Override
    public long oldestBeat() {
        return slot.oldestBeat();
    }

    @Override
    public boolean stopped() {
        return ProcStat.of(slot.pid()).map(ProcStat::stopped).orElse(false);
    }
}
