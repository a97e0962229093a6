package dev.berth.mesh;

/**
 * A ring holds bytes that no berth process writes: an impossible length or an undecodable body.
 * The proxy reclaims the slot; nothing else is affected.
 */
final class CorruptRingException extends MeshException {

    CorruptRingException(String message) {
        super(message);
    }
}
