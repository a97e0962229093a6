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
     * Why {@code request}'s head is refused.
     *
     * @return a short reason for the log, or empty when the head is acceptable
     */
    static Optional<String> refusal(HttpRequest request) {
        HttpHeaders headers = request.headers();
        List<String> encodings = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
        List<String> lengths = headers.getAll(HttpHeaderNames.CONTENT_LENGTH);
        if (!encodings.isEmpty()) {
            if (!request.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
                return Optional.of("transfer-encoding outside HTTP/1.1");
            }
            if (!lengths.isEmpty()) {
                return Optional.of("both transfer-encoding and content-length");
            }
            if (encodings.size() != 1 || !encodings.getFirst().strip().toLowerCase(Locale.ROOT).equals("chunked")) {
                return Optional.of("transfer-encoding other than a single chunked: " + encodings);
            }
        }
        int lengthFields = headers instanceof RequestHeaders counted ? counted.contentLengthFields() : lengths.size();
        if (lengthFields > 1 || lengths.size() > 1 || (lengths.size() == 1 && !isDigits(lengths.getFirst().strip()))) {
            return Optional.of("content-length not one decimal number: " + lengths);
        }
        List<String> hosts = headers.getAll(HttpHeaderNames.HOST);
        if (hosts.size() > 1) {
            return Optional.of("more than one host field");
        }
        if (hosts.isEmpty()) {
            return request.protocolVersion().equals(HttpVersion.HTTP_1_1)
                    ? Optional.of("no host field in an HTTP/1.1 request") : Optional.empty();
        }
        return isHost(hosts.getFirst()) ? Optional.empty() : Optional.of("invalid host: " + hosts.getFirst());
    }

    /** Whether {@code value} is {@code uri-host [":" port]}, not empty. */
    static boolean isHost(String value) {
        String host = value;
        int colon = value.lastIndexOf(':');
        if (colon >= 0 && colon > value.lastIndexOf(']')) {
            String port = value.substring(colon + 1);
            if (port.length() > 5 || !(port.isEmpty() || isDigits(port))) {
                return false;
            }
            host = value.substring(0, colon);
        }
        if (host.isEmpty()) {
            return false;
        }
        if (host.startsWith("[")) {
            return host.endsWith("]") && host.length() > 2 && isIpLiteralBody(host.substring(1, host.length() - 1));
        }
        return host.chars().allMatch(c -> c < 0x80 && (Character.isLetterOrDigit(c)
                || UNRESERVED_AND_SUB_DELIMS.indexOf(c) >= 0));
    }

    /** IPv6 (hex digits, colons, dots of an embedded IPv4) or IPvFuture ({@code v1.x}). */
    private static boolean isIpLiteralBody(String body) {
        return body.chars().allMatch(c -> c < 0x80 && (Character.isLetterOrDigit(c) || c == ':' || c == '.'
                || UNRESERVED_AND_SUB_DELIMS.indexOf(c) >= 0));
    }

    private static boolean isDigits(String text) {
        return !text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9');
    }
}
