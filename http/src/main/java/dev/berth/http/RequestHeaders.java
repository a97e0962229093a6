package dev.berth.http;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;

/**
 * A request's headers that remember how many {@code Content-Length} and {@code Host} fields it
 * carried. Netty's decoder folds several {@code Content-Length} fields into one before anyone sees
 * the request (for HTTP/1.0 it keeps the first), but a hop that keeps the last would frame the body
 * differently, so {@link HeadCheck} refuses them; the {@code Host} count spares it a list per
 * request. Validates names and values as Netty's default headers do. One instance per request,
 * used on its event loop.
 */
final class RequestHeaders extends DefaultHttpHeaders {

    private static final DefaultHttpHeadersFactory DEFAULTS = DefaultHttpHeadersFactory.headersFactory();

    /** Makes request headers of this kind for the decoder, and Netty's own for everything else. */
    static final HttpHeadersFactory FACTORY = new HttpHeadersFactory() {
        @Override
        public HttpHeaders newHeaders() {
            return new RequestHeaders();
        }

        @Override
        public HttpHeaders newEmptyHeaders() {
            return DEFAULTS.newEmptyHeaders();
        }
    };

    private int contentLengthFields;
    private int hostFields;

    private RequestHeaders() {
        super(DEFAULTS.getNameValidator(), DEFAULTS.getValueValidator());
    }

    /** Counts Content-Length and Host fields as the decoder adds them, one call per field line. */
    @Override
    public HttpHeaders add(CharSequence name, Object value) {
        if (HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name)) {
            contentLengthFields++;
        } else if (HttpHeaderNames.HOST.contentEqualsIgnoreCase(name)) {
            hostFields++;
        }
        return super.add(name, value);
    }

    /**
     * How many field lines named {@code name} the request had: counted for Content-Length and
     * Host, the fields present now for any other name.
     */
    int fields(CharSequence name) {
        if (HttpHeaderNames.CONTENT_LENGTH.contentEqualsIgnoreCase(name)) {
            return contentLengthFields;
        }
        if (HttpHeaderNames.HOST.contentEqualsIgnoreCase(name)) {
            return hostFields;
        }
        return getAll(name).size();
    }
}
