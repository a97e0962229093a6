package dev.berth.http;

import java.nio.charset.StandardCharsets;

/**
 * What a response says about its connection, and so which {@code connection} header it carries.
 * A closed set: the connection handler chooses one per response.
 */
enum Persistence {

    /** HTTP/1.1 keep-alive: the default, so no header. */
    KEEP_ALIVE(""),

    /** HTTP/1.0 keep-alive: must be announced. */
    KEEP_ALIVE_ANNOUNCED("connection: keep-alive\r\n"),

    /** The connection closes once the response has been written. */
    CLOSE("connection: close\r\n");

    private final byte[] header;

    Persistence(String header) {
        this.header = header.getBytes(StandardCharsets.US_ASCII);
    }

    /** The header line with its CRLF, or no bytes. Shared; callers must not modify it. */
    byte[] header() {
        return header;
    }
}
