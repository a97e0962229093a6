package dev.berth.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The path and query of a request target (RFC 9112 §3.2), origin form ({@code /a/b?q}) or absolute
 * form ({@code http://host/a/b?q}); the fragment, which clients should not send, is dropped.
 *
 * @param rawPath the path as sent, percent-encoded, starting with {@code /}
 * @param rawQuery the query with its {@code ?}, or empty
 */
record RequestTarget(String rawPath, String rawQuery) {

    /** Checks the path's form. */
    RequestTarget {
        if (!rawPath.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/': " + rawPath);
        }
    }

    /** Splits a request's URI; empty when it is neither origin nor absolute form. Any thread. */
    static Optional<RequestTarget> parse(String uri) {
        String target = uri;
        if (!target.startsWith("/")) {
            int scheme = target.indexOf("://");
            if (scheme <= 0) {
                return Optional.empty();
            }
            int slash = target.indexOf('/', scheme + 3);
            int query = target.indexOf('?', scheme + 3);
            target = slash < 0 || (query >= 0 && query < slash)
                    ? "/" + (query < 0 ? "" : target.substring(query))
                    : target.substring(slash);
        }
        int fragment = target.indexOf('#');
        if (fragment >= 0) {
            target = target.substring(0, fragment);
        }
        int query = target.indexOf('?');
        return Optional.of(query < 0
                ? new RequestTarget(target, "")
                : new RequestTarget(target.substring(0, query), target.substring(query)));
    }

    /**
     * The path with percent escapes decoded as UTF-8; empty when an escape is malformed or the
     * bytes are not UTF-8. Characters up to U+00FF stand for the raw bytes the client sent (the
     * decoder reads the request line as ISO-8859-1), so unescaped UTF-8 decodes too. {@code +} stays a plus sign: that rule belongs to form queries only.
     */
    Optional<String> decodedPath() {
        if (rawPath.indexOf('%') < 0 && rawPath.chars().allMatch(c -> c < 0x80)) {
            return Optional.of(rawPath);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(rawPath.length());
        for (int i = 0; i < rawPath.length(); i++) {
            char c = rawPath.charAt(i);
            if (c == '%') {
                int value = i + 2 < rawPath.length() ? hex(rawPath.charAt(i + 1), rawPath.charAt(i + 2)) : -1;
                if (value < 0) {
                    return Optional.empty();
                }
                bytes.write(value);
                i += 2;
            } else if (c <= 0xff) {
                bytes.write(c);
            } else {
                return Optional.empty();
            }
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /** Whether the raw target may be echoed in a header: printable ASCII only. */
    boolean isHeaderSafe() {
        return (rawPath + rawQuery).chars().allMatch(c -> c > 0x20 && c < 0x7f);
    }

    private static int hex(char high, char low) {
        int h = Character.digit(high, 16);
        int l = Character.digit(low, 16);
        return h < 0 || l < 0 ? -1 : (h << 4) | l;
    }
}
