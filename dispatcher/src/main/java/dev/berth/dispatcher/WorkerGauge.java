package dev.berth.dispatcher;

/**
 * What the dispatcher reads of a linked worker to judge it: in production its scoreboard slot.
 * Both calls are cheap, thread-safe and never block.
 */
interface WorkerGauge {

    /** Connections the worker has open now. */
    long active();

    /**
     * The oldest heartbeat of the worker's threads, in monotonic milliseconds; {@link Long#MAX_VALUE}
     * when there is nothing to judge yet.
     */
    long oldestBeat();
}
