package dev.berth.dispatcher;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The book's record of one linked worker: the credit it granted and the batches it was sent and
 * has not acknowledged, oldest first. Owned by the dispatch thread, through {@link DispatchBook}.
 */
final class WorkerLink {

    private final int id;
    private final WorkerGauge gauge;
    private final Map<Long, Sent> unacked = new LinkedHashMap<>();
    private int credit;
    private int inFlight;
    private long sent;
    private boolean closing;

    /** A batch on its way, and when it was sent (monotonic ms). */
    private record Sent(List<Connection> connections, long sentAt) {
    }

    /**
     * @param level the count of connections sent it starts from, to be level with the others
     */
    WorkerLink(int id, WorkerGauge gauge, long level) {
        this.id = id;
        this.gauge = gauge;
        this.sent = level;
    }

    int id() {
        return id;
    }

    int credit() {
        return credit;
    }

    void grant(int connections) {
        credit = (int) Math.min(Integer.MAX_VALUE, (long) credit + connections);
    }

    /** Connections sent since it linked, plus the level it started from. */
    long sent() {
        return sent;
    }

    /** Connections sent and not yet acknowledged. */
    int inFlight() {
        return inFlight;
    }

    /** Active connections plus those on their way: what "least busy" compares. */
    long busy() {
        return gauge.active() + inFlight;
    }

    /**
     * Whether it may be sent more now: it is not closing, it has credit, its threads beat within
     * {@code stallMs}, and no batch waits for its ack longer than that.
     */
    boolean eligible(long now, long stallMs) {
        if (closing || credit <= 0) {
            return false;
        }
        long beat = gauge.oldestBeat();
        if (beat != Long.MAX_VALUE && now - beat > stallMs) {
            return false;
        }
        return unacked.isEmpty() || now - unacked.values().iterator().next().sentAt() <= stallMs;
    }

    /** Whether it is still open and its oldest batch waits for an ack longer than {@code stallMs}. */
    boolean overdue(long now, long stallMs) {
        return !closing && !unacked.isEmpty() && now - unacked.values().iterator().next().sentAt() > stallMs;
    }

    /** It gets nothing more: its link is being ended. */
    void close() {
        closing = true;
    }

    void sent(long batch, List<Connection> connections, long now) {
        unacked.put(batch, new Sent(List.copyOf(connections), now));
        credit -= connections.size();
        inFlight += connections.size();
        sent += connections.size();
    }

    /**
     * The connections of every batch up to and including {@code batch}, oldest first: a link's
     * batches are numbered in the order they were sent, and the worker reads them in that order.
     * Empty when none is that old.
     */
    List<Connection> acked(long batch) {
        List<Connection> owned = new ArrayList<>();
        for (var i = unacked.entrySet().iterator(); i.hasNext(); ) {
            var next = i.next();
            if (next.getKey() > batch) {
                break;
            }
            owned.addAll(next.getValue().connections());
            i.remove();
        }
        inFlight -= owned.size();
        return owned;
    }

    /** Every connection not acknowledged, oldest first; the link holds none afterwards. */
    List<Connection> takeUnacked() {
        List<Connection> all = new ArrayList<>(inFlight);
        unacked.values().forEach(s -> all.addAll(s.connections()));
        unacked.clear();
        inFlight = 0;
        return all;
    }
}
