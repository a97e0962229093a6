package dev.berth.control;

/** The control protocol was broken: a malformed message or one out of order. */
public final class ControlException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** With a cause. */
    public ControlException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Without a cause. */
    public ControlException(String message) {
        super(message);
    }
}
