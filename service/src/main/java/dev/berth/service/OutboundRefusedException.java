package dev.berth.service;

import java.io.IOException;

/**
 * A tenant group's outbound connection was not made because the group has no usable address of
 * the target's family and its {@code source-address} is {@code enforce}: a temporary failure,
 * for the protocol to answer as one (SMTP 451, POP3 {@code -ERR [SYS/TEMP]}).
 */
public final class OutboundRefusedException extends IOException {

    private static final long serialVersionUID = 1L;

    /** With the reason, naming the group and the missing address. */
    public OutboundRefusedException(String message) {
        super(message);
    }
}
