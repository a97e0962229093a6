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
     * block; many run at once. A handler {@link #nonBlocking} is called on the client's reader
     * thread instead, one request after another.
     *
     * @return the reply payload; a failed stage (or a thrown exception) becomes an error for the
     *     caller, with the exception's message
     */
    CompletionStage<byte[]> onRequest(MeshRequest request) throws Exception;

    /**
     * Whether {@link #onRequest} may block (wait for I/O, a lock, another call), which it may unless
     * the handler says otherwise through {@link #nonBlocking}.
     */
    default boolean blocks() {
        return true;
    }

    /**
     * A handler that declares it never blocks: it computes its reply at once, or returns a stage
     * that another thread completes. The mesh client calls it on its reader thread, without the
     * hand-over to a virtual thread (10-30 µs of a call's latency, docs/adr/0029); while it runs the
     * process reads no other reply or request, so it must be quick.
     */
    static MeshHandler nonBlocking(MeshHandler handler) {
        java.util.Objects.requireNonNull(handler, "handler");
        return new MeshHandler() {
            @Override
            public CompletionStage<byte[]> onRequest(MeshRequest request) throws Exception {
                return handler.onRequest(request);
            }

            @Override
            public boolean blocks() {
                return false;
            }
        };
    }
}
