package dev.berth.mesh;

/** A failure of the mesh machinery: a slot file that cannot be used, no free slot, a proxy gone. */
public class MeshException extends RuntimeException {

    /** With a message that says what failed and why. */
    public MeshException(String message) {
        super(message);
    }

    /** With the failure underneath. */
    public MeshException(String message, Throwable cause) {
        super(message, cause);
    }
}
