package dev.berth.mesh;

import java.nio.charset.StandardCharsets;

/**
 * How an attempt (and so an exchange) ended. Closed set: the router treats each differently.
 */
sealed interface Outcome {

    /** The node that answered or failed, empty when none was reached. */
    String node();

    /** The label used in counters: ok, error, unavailable, timeout, cancelled. */
    String label();

    /** The handler answered. */
    record Ok(String node, byte[] payload) implements Outcome {
        @Override
        public String label() {
            return "ok";
        }
    }

    /** The handler failed; the node itself is fine, so there is no retry. */
    record HandlerError(String node, String message) implements Outcome {
        @Override
        public String label() {
            return "error";
        }
    }

    /** The node could not take the call (link down, reset, no worker serves the group): worth another member. */
    record Unavailable(String node, String message) implements Outcome {
        @Override
        public String label() {
            return "unavailable";
        }
    }

    /** The deadline passed. */
    record Timeout(String node) implements Outcome {
        @Override
        public String label() {
            return "timeout";
        }
    }

    /** The caller gave up (cancel, its slot reclaimed). */
    record Cancelled(String node, String message) implements Outcome {
        @Override
        public String label() {
            return "cancelled";
        }
    }

    /** The reply record for a slot's call. */
    default MeshRecord.Reply reply(long callId) {
        return switch (this) {
            case Ok ok -> new MeshRecord.Reply(callId, true, ok.node(), ok.payload());
            case HandlerError e -> failure(callId, e.node(), e.message());
            case Unavailable u -> failure(callId, u.node(), u.message());
            case Timeout t -> new MeshRecord.Reply(callId, false, true, t.node(),
                    "no reply before the deadline".getBytes(StandardCharsets.UTF_8));
            case Cancelled c -> failure(callId, c.node(), c.message());
        };
    }

    private static MeshRecord.Reply failure(long callId, String node, String message) {
        return new MeshRecord.Reply(callId, false, node, message.getBytes(StandardCharsets.UTF_8));
    }
}
