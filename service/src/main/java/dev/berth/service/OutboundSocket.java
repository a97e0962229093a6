package dev.berth.service;

import java.io.Closeable;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;

/**
 * A connected blocking socket made by {@link Outbound#open}. One reading thread and one writing
 * thread at a time; reads and writes block up to the read timeout given at open, then fail with
 * {@link java.net.SocketTimeoutException}. The owner closes it.
 */
public interface OutboundSocket extends Closeable {

    /** The bytes from the other end; {@code available()} counts what has arrived. */
    InputStream input();

    /** The bytes to the other end; each write is sent before it returns. */
    OutputStream output();

    /** Whether the connection is still open (not closed here, not ended by the peer). */
    boolean isOpen();

    /** The source address and port the connection left from. */
    InetSocketAddress localAddress();

    /** Closes the connection; idempotent, never throws. */
    @Override
    void close();
}
