package dev.berth.mesh;

import java.util.Objects;

/**
 * What travels through a slot's rings (the body encodings are in {@link RecordCodec}). The request
 * ring carries what the owner sends: its {@link Call}s, {@link Cancel}s, and {@link Answer}s to the
 * requests it serves; the reply ring what the proxy sends: {@link Reply}s to its calls and {@link
 * Serve}s, requests for it to execute.
 */
sealed interface MeshRecord {

    int CALL = 1;
    int CANCEL = 2;
    int ANSWER = 3;
    int REPLY = 4;
    int SERVE = 5;

    /** The record type stored in the record header. */
    int type();

    /**
     * A call from the owner.
     *
     * @param id unique among the owner's calls
     * @param deadlineNanos when the caller stops waiting, on the {@code System.nanoTime} clock
     *     (CLOCK_MONOTONIC, shared by every process of the host)
     * @param group the mesh group; key, requestType: routing inputs, empty when not given
     */
    record Call(long id, long deadlineNanos, String group, String key, String requestType, byte[] payload) implements MeshRecord {
        public Call {
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(requestType, "requestType");
            Objects.requireNonNull(payload, "payload");
        }

        @Override
        public int type() {
            return CALL;
        }
    }

    /** The owner no longer waits for call {@code id}. */
    record Cancel(long id) implements MeshRecord {
        @Override
        public int type() {
            return CANCEL;
        }
    }

    /**
     * The owner's answer to {@link Serve} {@code id}: a payload, or an error text when not ok.
     */
    record Answer(long id, boolean ok, byte[] payload) implements MeshRecord {
        public Answer {
            Objects.requireNonNull(payload, "payload");
        }

        @Override
        public int type() {
            return ANSWER;
        }
    }

    /**
     * The outcome of call {@code id}: the answering node and its payload, or (not ok) the node that
     * failed, if any, and an error text; {@code timedOut} when it failed because its deadline passed
     * (the proxy's deadline timer and the caller's own race, and both must say the same).
     */
    record Reply(long id, boolean ok, boolean timedOut, String node, byte[] payload) implements MeshRecord {
        public Reply {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(payload, "payload");
            if (ok && timedOut) {
                throw new IllegalArgumentException("a reply is ok or timed out, not both");
            }
        }

        /** A reply that did not time out. */
        public Reply(long id, boolean ok, String node, byte[] payload) {
            this(id, ok, false, node, payload);
        }

        @Override
        public int type() {
            return REPLY;
        }
    }

    /**
     * A request for the owner to execute, for a group it serves; {@code from} is the calling node.
     */
    record Serve(long id, long deadlineNanos, String group, String key, String requestType, String from, byte[] payload)
            implements MeshRecord {
        public Serve {
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(requestType, "requestType");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(payload, "payload");
        }

        @Override
        public int type() {
            return SERVE;
        }
    }
}
