package dev.berth.mesh;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One call while the proxy carries it: what to send, where the outcome goes, which members were
 * tried, and how to cancel the attempt running now. Completed exactly once, from whichever thread
 * learns the outcome first (the event loop, the deadline timer).
 */
final class Exchange {

    /** Where an exchange's outcome goes: a slot's reply ring, or a peer's HTTP/2 stream. */
    interface Origin {
        /** Called once, from any thread; must not block. */
        void complete(Outcome outcome);
    }

    final String group;
    final String key;
    final String type;
    final String from;
    final byte[] payload;
    final long deadlineNanos;
    final long startedNanos;
    final Origin origin;
    final Set<String> tried = new HashSet<>();
    private final AtomicBoolean done = new AtomicBoolean();
    private volatile Runnable cancelAttempt = () -> { };
    private volatile Deadlines.Timeout deadline;

    Exchange(Request request, long startedNanos, Origin origin) {
        this.group = request.group();
        this.key = request.key();
        this.type = request.type();
        this.from = request.from();
        this.payload = request.payload();
        this.deadlineNanos = request.deadlineNanos();
        this.startedNanos = startedNanos;
        this.origin = origin;
    }

    /** The parts of a call that travel: group, routing inputs, caller, bytes, deadline. */
    record Request(String group, String key, String type, String from, byte[] payload, long deadlineNanos) {
    }

    Request request() {
        return new Request(group, key, type, from, payload, deadlineNanos);
    }

    /** Sets how to cancel the attempt now running. */
    void attempt(Runnable cancel) {
        this.cancelAttempt = cancel;
    }

    void deadline(Deadlines.Timeout timeout) {
        this.deadline = timeout;
    }

    boolean done() {
        return done.get();
    }

    /** Completes the exchange once; later outcomes are ignored. */
    boolean complete(Outcome outcome) {
        if (!done.compareAndSet(false, true)) {
            return false;
        }
        Deadlines.Timeout timeout = deadline;
        if (timeout != null) {
            timeout.cancel();
        }
        origin.complete(outcome);
        return true;
    }

    /** Cancels the running attempt and completes with {@code outcome}. */
    void abort(Outcome outcome) {
        if (complete(outcome)) {
            cancelAttempt.run();
        }
    }
}
