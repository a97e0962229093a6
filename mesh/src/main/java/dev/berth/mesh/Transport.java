package dev.berth.mesh;

import java.util.function.Consumer;

/** Carries a call to another node and its outcome back (the proxy-to-proxy links). */
interface Transport {

    /**
     * Sends a request to {@code node}. Never blocks; {@code done} is called once, on any thread.
     *
     * @return how to cancel it (the peer is told; {@code done} is not called after)
     */
    Runnable send(String node, Exchange.Request request, Consumer<Outcome> done);
}
