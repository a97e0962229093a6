package dev.berth.posix;

/**
 * One SEQPACKET message: bytes and the file descriptors that travelled with it. The receiver owns
 * the descriptors (close-on-exec is set) and must close or adopt each.
 *
 * @param payload the message bytes, never empty
 * @param fds received descriptors, in the order they were sent
 */
public record Packet(byte[] payload, int[] fds) {

    /** Checks the arguments; the arrays are not copied. */
    public Packet {
        java.util.Objects.requireNonNull(payload, "payload");
        java.util.Objects.requireNonNull(fds, "fds");
    }
}
