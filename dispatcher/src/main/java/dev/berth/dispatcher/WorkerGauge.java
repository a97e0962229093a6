package dev.berth.dispatcher;

/**
 * What the dispatcher reads of a linked worker to judge it: in production its scoreboard slot and
 * its process's state. {@link #active} and {@link #oldestBeat} are cheap enough for every choice;
 * {@link #stopped} reads a file and is asked only of a worker whose ack is late. None blocks.
 */
interface WorkerGauge {

    /** Connections the worker has open now. */
    long active();

    /**
     * The last batch of its link the worker has counted in {@link #active}; read before it. 0 when
     * none is.
     */
    long countedBatch();

    /**
     * The oldest heartbeat of the worker's threads, in monotonic milliseconds; {@link Long#MAX_VALUE}
     * when there is nothing to judge yet.
     */
    long oldestBeat();

    /** Whether the worker's process is stopped (SIGSTOP, a tracer) rather than only slow. */
    boolean stopped();
}
