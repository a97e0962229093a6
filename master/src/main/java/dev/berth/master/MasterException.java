package dev.berth.master;

/** The master cannot start or cannot be reached; the message says why, for an operator. */
public final class MasterException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** With the operator-facing reason. */
    public MasterException(String message) {
        super(message);
    }
}
