package dev.berth.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Refuses request heads whose framing or {@code Host} another HTTP hop could read differently
 * (request smuggling, RFC 9112 §6.3 and §11.2) or that RFC 9112 §3.2 says must be refused. A
 * refused request gets 400 and its connection closes, so nothing after it on the connection is
 * read as a request. Pure and thread-safe.
 *
 * <ul>
 *   <li>{@code Transfer-Encoding} is accepted only as exactly {@code chunked}, once, in HTTP/1.1,
 *       and never with a {@code Content-Length}: any other coding, a {@code chunked} that is not
 *       the one and final coding, or the two framings together are refused (berth decodes no
 *       other coding, so a body framed otherwise has no end it could find).</li>
 *   <li>{@code Content-Length}: one field, digits only ({@code +5}, {@code 5, 5} and two fields
 *       are refused, also in HTTP/1.0, where the decoder would keep the first:
 *       {@link RequestHeaders} counts the fields).</li>
 *   <li>{@code Host}: at most one field; required in HTTP/1.1; its value is {@code uri-host
 *       [":" port]} (RFC 3986: a registered name, an IPv4 address or a bracketed IP literal) and
 *       not empty, since origin-form targets name this server.</li>
 * </ul>
 *
 * <p>The decoder has already refused what it cannot parse (an unparsable {@code Content-Length},
 * {@code chunked} with a {@code Content-Length}: {@link RequestDecoder}).
 */
final class HeadCheck {

    private static final String UNRESERVED_AND_SUB_DELIMS = "-._~!$&'()*+,;=%";

    private HeadCheck() {
    }

    /**
     * Why {@code request}'s head is refused. An acceptable head, the common case, is checked
     * without allocating: this runs once per request.
     *
     * @return a short reason for the log, or empty when the head is acceptable
     */
    static Optional<String> refusal(HttpRequest request) {
        HttpHeaders headers = request.headers();
        if (headers.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            Optional<String> refused = transferEncodingRefusal(request, headers);
            if (refused.isPresent()) {
                return refused;
            }
        }
        String length = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        if (fields(headers, HttpHeaderNames.CONTENT_LENGTH) > 1 || (length != null && !isDigits(length.strip()))) {
            return Optional.of("content-length not one decimal number: " + headers.getAll(HttpHeaderNames.CONTENT_LENGTH));
        }
        int hosts = fields(headers, HttpHeaderNames.HOST);
        if (hosts > 1) {
            return Optional.of("more than one host field");
        }
        if (hosts == 0) {
            return request.protocolVersion().equals(HttpVersion.HTTP_1_1)
                    ? Optional.of("no host field in an HTTP/1.1 request") : Optional.empty();
        }
        String host = headers.get(HttpHeaderNames.HOST);
        return isHost(host) ? Optional.empty() : Optional.of("invalid host: " + host);
    }

    private static Optional<String> transferEncodingRefusal(HttpRequest request, HttpHeaders headers) {
        List<String> encodings = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
        if (!request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
            return Optional.of("transfer-encoding outside HTTP/1.1");
        }
        if (headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            return Optional.of("both transfer-encoding and content-length");
        }
        if (encodings.size() != 1 || !encodings.getFirst().strip().toLowerCase(Locale.ROOT).equals("chunked")) {
            return Optional.of("transfer-encoding other than a single chunked: " + encodings);
        }
        return Optional.empty();
    }

    /** How many field lines named {@code name} the request had (the decoder folds some). */
    private static int fields(HttpHeaders headers, CharSequence name) {
        return headers instanceof RequestHeaders counted ? counted.fields(name) : headers.getAll(name).size();
    }

    /** Whether {@code value} is {@code uri-host [":" port]}, not empty. */
    static boolean isHost(String value) {
        int end = value.length();
        int colon = value.lastIndexOf(':');
        if (colon >= 0 && colon > value.lastIndexOf(']')) {
            if (end - colon - 1 > 5 || !allDigits(value, colon + 1, end)) {
                return false;
            }
            end = colon;
        }
        if (end == 0) {
            return false;
        }
        if (value.charAt(0) == '[') {
            // IPv6 (hex digits, colons, dots of an embedded IPv4) or IPvFuture (v1.x)
            return end > 2 && value.charAt(end - 1) == ']' && allHostCharacters(value, 1, end - 1, true);
        }
        return allHostCharacters(value, 0, end, false);
    }

    /** Whether every character in [from, to) is ASCII and may stand in a host (reg-name or IP literal). */
    private static boolean allHostCharacters(String text, int from, int to, boolean ipLiteral) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c >= 0x80 || !(Character.isLetterOrDigit(c) || UNRESERVED_AND_SUB_DELIMS.indexOf(c) >= 0
                    || (ipLiteral && c == ':'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigits(String text) {
        return !text.isEmpty() && allDigits(text, 0, text.length());
    }

    private static boolean allDigits(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
