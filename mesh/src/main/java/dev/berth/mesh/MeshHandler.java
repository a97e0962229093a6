package dev.berth.mesh;

import java.util.concurrent.CompletionStage;

/**
 * The executing side's SPI: a service with {@code mesh-group: G} registers one with {@link
 * Mesh#serve}, and the mesh hands it every request for G that the proxy routes to this process.
 */
@FunctionalInterface
public interface MeshHandler {

    /**
     * Executes one request. Called on a virtual thread of the process's mesh client, so it may
     * block; many run at once.
     *
     * @return the reply payload; a failed stage (or a thrown exception) becomes an error for the
     *     caller, with the exception's message
     */
    CompletionStage<byte[]> onRequest(MeshRequest request) throws Exception;
}
