package dev.berth.dispatcher;

import dev.berth.control.ControlChannel;

/** What the dispatcher's threads tell its dispatch thread, through {@link DispatchAgent#post}. */
sealed interface DispatchEvent {

    /** An accept thread took a connection; it holds a unit of the queue's room. */
    record Accepted(Connection connection) implements DispatchEvent {
    }

    /** A worker connected and proved who it is; the dispatch thread owns the channel from now on. */
    record Linked(int link, ControlChannel channel, WorkerGauge gauge, String lane) implements DispatchEvent {
    }

    /** A linked worker granted credit. */
    record Credited(int link, int connections) implements DispatchEvent {
    }

    /** A linked worker owns a batch now. */
    record Acked(int link, long batch) implements DispatchEvent {
    }

    /** A link ended; nothing more will be read from it. The last event of its link. */
    record Unlinked(int link) implements DispatchEvent {
    }

    /** Accepting has stopped: hand off what is held, then stop, within {@code timeoutMillis}. */
    record Drain(long timeoutMillis) implements DispatchEvent {
    }
}
