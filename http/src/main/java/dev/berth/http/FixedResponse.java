package dev.berth.http;

import java.nio.charset.StandardCharsets;

/**
 * The bytes of a fixed {@code 200} response that do not change: everything before the date
 * header's value, and the body. {@link LoopCache} adds the date and the persistence header.
 *
 * @param prefix status line, {@code server}, {@code content-type}, {@code content-length}, and
 *     {@code "date: "}, in ASCII; shared, never modified
 * @param body the body; shared, never modified
 */
record FixedResponse(byte[] prefix, byte[] body) {

    /** Builds the response for a body text (sent as UTF-8) and a content type (ASCII). */
    static FixedResponse of(String body, String contentType) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 200 OK\r\n"
                + "server: berth\r\n"
                + "content-type: " + contentType + "\r\n"
                + "content-length: " + bytes.length + "\r\n"
                + "date: ";
        return new FixedResponse(head.getBytes(StandardCharsets.US_ASCII), bytes);
    }
}
