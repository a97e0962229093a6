package dev.berth.mesh;

/**
 * A call that got no answer: the deadline passed, no member could take it, the answering handler
 * failed, the proxy restarted, or the caller's slot was reclaimed. The future of the call completes
 * exceptionally with it.
 */
public final class MeshCallException extends MeshException {

    private final String node;
    private final boolean timeout;

    /**
     * @param node the node that failed it, empty when none was reached
     * @param timeout whether the deadline passed
     */
    public MeshCallException(String message, String node, boolean timeout) {
        super(message);
        this.node = node;
        this.timeout = timeout;
    }

    /** The node that failed the call, empty when none was reached. */
    public String node() {
        return node;
    }

    /** Whether the call's deadline passed. */
    public boolean timeout() {
        return timeout;
    }
}
