package dev.berth.tenancy;

/** A tenancy operation was refused: an address another group holds, an unknown group or address. */
public final class TenancyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** With the reason, worded for the operator. */
    public TenancyException(String message) {
        super(message);
    }
}
