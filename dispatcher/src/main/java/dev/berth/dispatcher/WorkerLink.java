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
    /** What the process said when last asked whether it is stopped, and when to ask again (monotonic ms). */
    private boolean stopped;
    private long nextProbe;

    /**
     * How a late worker is judged (monotonic ms).
     *
     * @param stallMs lateness (of its heartbeat or an ack) after which a stopped worker gets nothing
     *     new and its link is ended
     * @param liveMs lateness after which even a running worker gets nothing new and its link is ended
     * @param probeMs how often a late worker's process is asked whether it is stopped
     */
    record Timing(long stallMs, long liveMs, long probeMs) {
    }

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

    /**
     * Active connections plus those on their way that the worker has not counted yet: what "least
     * busy" compares. A worker counts a batch before it acks it, so until the ack is read the batch
     * is both in the worker's count and in flight here; counting it twice made a worker whose ack
     * the dispatcher read late look twice as busy, and a burst went to its sibling.
     */
    long busy() {
        long counted = gauge.countedBatch();
        long active = gauge.active();
        long uncounted = 0;
        for (Map.Entry<Long, Sent> e : unacked.entrySet()) {
            if (e.getKey() > counted) {
                uncounted += e.getValue().connections().size();
            }
        }
        return active + uncounted;
    }

    /**
     * Whether it may be sent more now: it is not closing and has credit, and it is not late (its
     * oldest heartbeat and its oldest un-acked batch at most {@code stallMs} old), or it is late but
     * by no more than {@code liveMs} and its process is not stopped: a slow worker stays in the
     * choice, where its connections in flight count against it.
     */
    boolean eligible(long now, Timing timing) {
        if (closing || credit <= 0) {
            return false;
        }
        long beat = gauge.oldestBeat();
        long late = Math.max(beat == Long.MAX_VALUE ? 0 : now - beat, ackWait(now));
        return late <= timing.stallMs() || late <= timing.liveMs() && !stopped(now, timing);
    }

    /**
     * Whether it is still open and its oldest batch waits for an ack longer than {@code liveMs}, or
     * longer than {@code stallMs} while its process is stopped.
     */
    boolean overdue(long now, Timing timing) {
        if (closing || unacked.isEmpty()) {
            return false;
        }
        long waited = ackWait(now);
        return waited > timing.liveMs() || waited > timing.stallMs() && stopped(now, timing);
    }

    /** How long its oldest un-acked batch has waited; 0 when none waits. */
    private long ackWait(long now) {
        return unacked.isEmpty() ? 0 : now - unacked.values().iterator().next().sentAt();
    }

    /** Whether its process is stopped, asked at most every {@code probeMs}: the answer is a file read. */
    private boolean stopped(long now, Timing timing) {
        if (now >= nextProbe) {
            stopped = gauge.stopped();
            nextProbe = now + timing.probeMs();
        }
        return stopped;
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
