package dev.berth.dispatcher;

import dev.berth.scoreboard.WorkerSlot;

/**
 * A linked worker as its scoreboard slot shows it.
 *
 * @param slot the worker's slot, verified at link time
 */
record SlotGauge(WorkerSlot slot) implements WorkerGauge {

    @Override
    public long active() {
        return slot.active();
    }

    @Override
    public long oldestBeat() {
        return slot.oldestBeat();
    }
}
