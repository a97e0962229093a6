package dev.berth.mesh;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A call's answer: what the executing handler returned and which node it ran on.
 *
 * @param node the answering node's {@code mesh.node} name
 * @param payload the handler's bytes (the array is not copied; do not change it)
 */
public record MeshReply(String node, byte[] payload) {

    /** Checks the components. */
    public MeshReply {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(payload, "payload");
    }

    /** The payload as UTF-8 text. */
    public String text() {
        return new String(payload, StandardCharsets.UTF_8);
    }
}
