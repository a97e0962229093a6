package dev.berth.dispatcher;

import java.util.List;

/**
 * Connections the book chose to send to one worker in one packet.
 *
 * @param link the worker's link
 * @param number the batch number the worker's ack names
 * @param connections 1 to {@link DispatchBook#MAX_BATCH} connections, in queue order
 */
record Batch(int link, long number, List<Connection> connections) {

    /** Copies the list. */
    Batch {
        connections = List.copyOf(connections);
    }
}
