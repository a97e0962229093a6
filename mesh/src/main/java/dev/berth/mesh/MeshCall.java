package dev.berth.mesh;

import java.util.Objects;

/**
 * One call of a fan-out ({@link Mesh#all}, {@link Mesh#first}, {@link Mesh#quorum}).
 *
 * @param group the mesh group
 * @param key the routing key (routed groups), empty when none
 * @param type the request type (keyed groups pick the member by it), empty when none
 * @param payload the request bytes (not copied)
 */
public record MeshCall(String group, String key, String type, byte[] payload) {

    /** Checks the components. */
    public MeshCall {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(payload, "payload");
    }
}
