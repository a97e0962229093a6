package dev.berth.mesh;

import io.netty.handler.codec.http2.Http2Settings;
import io.netty.util.AsciiString;

/**
 * The proxy-to-proxy protocol: HTTP/2 over cleartext TCP with prior knowledge (h2c), one stream per
 * call (docs/adr/0017). HTTP/2 gives what the mesh needs: a stream id per request, replies in any
 * order, DATA frames of at most 16 KiB so a large message never holds up a small one, RST_STREAM to
 * cancel, PING for liveness, GOAWAY to drain, and WINDOW_UPDATE credit per stream and per
 * connection; standard tools ({@code curl --http2-prior-knowledge}) can call a node.
 *
 * <pre>
 *  calling proxy                                               answering proxy
 *   preface, SETTINGS                      ------------------&gt;
 *                                          &lt;------------------  SETTINGS
 *   HEADERS GET /mesh/hello (END_STREAM)   ------------------&gt;
 *                                          &lt;------------------  HEADERS 200, berth-node: b (END_STREAM)
 *   HEADERS POST /mesh/call/GROUP
 *     berth-key, berth-type, berth-from,
 *     berth-deadline-us (time left)        ------------------&gt;
 *   DATA payload ... (END_STREAM)          ------------------&gt;  runs it on a local worker
 *                                          &lt;------------------  HEADERS 200 | 502 | 503 | 504, berth-node
 *                                          &lt;------------------  DATA reply, or the error text (END_STREAM)
 *   RST_STREAM CANCEL (deadline, caller)   ------------------&gt;  the answer is dropped
 *   PING every ping-interval               &lt;-----------------&gt;  PING ack
 *                                          &lt;------------------  GOAWAY (stop, reload): no new streams
 * </pre>
 *
 * Status: 200 the handler's reply; 502 the handler failed (no retry); 503 the node cannot take it
 * (no worker serves the group, draining: another member may); 504 the deadline passed; 404 another
 * path.
 */
final class MeshWire {

    static final AsciiString KEY = AsciiString.cached("berth-key");
    static final AsciiString TYPE = AsciiString.cached("berth-type");
    static final AsciiString FROM = AsciiString.cached("berth-from");
    static final AsciiString DEADLINE = AsciiString.cached("berth-deadline-us");
    static final AsciiString NODE = AsciiString.cached("berth-node");
    static final String CALL_PATH = "/mesh/call/";
    static final String HELLO_PATH = "/mesh/hello";
    /** Streams one connection carries at once. */
    static final int MAX_STREAMS = 4096;
    /** Receive window per stream and, through a WINDOW_UPDATE at start, per connection. */
    static final int WINDOW = 1 << 20;
    /** How long a draining connection waits for its streams before it closes. */
    static final long DRAIN_MILLIS = 5000;

    private MeshWire() {
    }

    static Http2Settings settings() {
        return new Http2Settings().maxConcurrentStreams(MAX_STREAMS).initialWindowSize(WINDOW);
    }
}
