package dev.berth.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;

/**
 * Writes the response to a GET or HEAD request: the fixed response or a static file. One per
 * service, shared by its connections.
 */
sealed interface Responder permits FixedResponder, FileResponder {

    /**
     * Writes the whole response without flushing. Called on the connection's event loop; must not
     * block beyond reading file metadata.
     *
     * @param head whether the request was HEAD: headers as for GET, no body
     * @param persistence the connection header the response carries
     * @param cache the event loop's date and prebuilt responses
     */
    void respond(ChannelHandlerContext ctx, HttpRequest request, boolean head, Persistence persistence,
            LoopCache cache);
}
