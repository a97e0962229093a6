package dev.berth.posix;

/**
 * A system call failed. Carries the call's name and {@code errno} so that callers can tell a
 * retryable condition (EAGAIN, EINTR) from a fault, and operators read the C library's text.
 */
public final class PosixException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int errno;

    /**
     * @param call the function that failed, with its main argument, e.g. {@code bind(127.0.0.1:80)}
     * @param errno the errno it left
     * @param text the C library's description of errno
     */
    public PosixException(String call, int errno, String text) {
        super(call + " failed: " + text + " (errno " + errno + ")");
        this.errno = errno;
    }

    /** The errno the call left. */
    public int errno() {
        return errno;
    }
}
