package dev.berth.mesh;

import java.util.Objects;

/**
 * A request for a handler to execute (the executing side of the mesh).
 *
 * @param group the mesh group it was sent to
 * @param key the caller's routing key, empty when none
 * @param type the caller's request type, empty when none
 * @param from the calling node's name
 * @param payload the request bytes
 * @param deadlineNanos when the caller stops waiting, on the {@code System.nanoTime} clock
 */
public record MeshRequest(String group, String key, String type, String from, byte[] payload, long deadlineNanos) {

    /** Checks the components. */
    public MeshRequest {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(payload, "payload");
    }
}
