package dev.berth.dispatcher;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The dispatcher's books: connections waiting for a worker, the workers linked to it with the
 * credit each granted, and every connection sent and not yet acknowledged; and the choice of who
 * gets the next batch. Pure logic: no sockets, time passed in (monotonic ms). Owned by the dispatch
 * thread; not thread-safe.
 *
 * <ul>
 *   <li>Eligible: a worker with credit that is not late, or late but running. Late: its oldest
 *       heartbeat or its oldest un-acked batch is more than {@value #STALL_MS} ms old. A late
 *       worker's process is asked whether it is stopped (every {@value #PROBE_MS} ms at most, from
 *       {@code /proc}); a stopped one gets nothing new, and nor does one late by more than
 *       {@value #LIVE_STALL_MS} ms. A worker that is only slow (a CPU quota's throttling, a loaded
 *       machine, a cold JVM's first connections) stays in the choice, where what it has in flight
 *       counts against it: dropping it for its lateness sent a whole burst to its sibling.</li>
 *   <li>Choice: the least busy eligible worker (fewest active plus in-flight connections), where
 *       one more than the least still counts as least (a connection that is just closing should
 *       not decide); among those, the one sent the fewest connections so far, then round robin.
 *       A worker that links starts level with the fewest sent of the others, so a replacement is
 *       not flooded. A worker that was busy for a while catches up on the ties that follow: the
 *       counts even out even when the workers' speeds differ.</li>
 *   <li>Batch size: at most the worker's credit, {@value #MAX_BATCH}, and its share of the queue:
 *       what lifts it to the eligible workers' average busyness once the queue is spread over
 *       them, at least one. A burst goes out in one packet per worker.</li>
 *   <li>Ack: the connections of the batch it names and of every earlier batch of that link belong
 *       to the worker; the caller closes its copies.</li>
 *   <li>Overdue: a link is to be ended by the caller ({@link #overdue}, {@link #closing}) when its
 *       oldest un-acked batch is older than {@value #STALL_MS} ms and its process is stopped, or
 *       older than {@value #LIVE_STALL_MS} ms whatever the process does. A slow worker keeps its
 *       link, and so its place in a burst.</li>
 *   <li>Link end: the worker's un-acked connections go back to the head of the queue, in order,
 *       for the other workers. Nothing is lost that was not acknowledged.</li>
 * </ul>
 */
final class DispatchBook {

    /** Connections per packet at most; well under the kernel's 253 descriptors per message. */
    static final int MAX_BATCH = 32;
    /** Workers this much busier than the least busy one still count as equally busy. */
    static final long BUSY_SLACK = 1;
    /** How late a heartbeat or an ack may be before a stopped worker gets nothing new. */
    static final long STALL_MS = 300;
    /** How late a heartbeat or an ack may be before even a running worker gets nothing new. */
    static final long LIVE_STALL_MS = 2_000;
    /** How often a late worker's process is asked whether it is stopped. */
    static final long PROBE_MS = 50;
    private static final WorkerLink.Timing TIMING = new WorkerLink.Timing(STALL_MS, LIVE_STALL_MS, PROBE_MS);

    private final Deque<Connection> queue = new ArrayDeque<>();
    private final Map<Integer, WorkerLink> links = new LinkedHashMap<>();
    private long nextBatch = 1;
    private int cursor;

    /** A connection was accepted: it waits at the tail of the queue. */
    void accepted(Connection connection) {
        queue.addLast(connection);
    }

    /** A worker linked and proved who it is. */
    void linked(int link, WorkerGauge gauge) {
        if (links.containsKey(link)) {
            throw new IllegalStateException("link " + link + " is linked already");
        }
        long level = links.values().stream().mapToLong(WorkerLink::sent).min().orElse(0);
        links.put(link, new WorkerLink(link, gauge, level));
    }

    /** The worker has room for {@code connections} more; ignored for an unknown link. */
    void credit(int link, int connections) {
        WorkerLink l = links.get(link);
        if (l != null) {
            l.grant(connections);
        }
    }

    /**
     * The worker owns the connections of every batch up to and including {@code batch} now (one ack
     * answers every batch the worker read in one go).
     *
     * @return them, for the caller to close its copies; empty for an unknown link or none that old
     */
    List<Connection> acked(int link, long batch) {
        WorkerLink l = links.get(link);
        return l == null ? List.of() : l.acked(batch);
    }

    /**
     * The worker's link ended (it died, was killed, or drained): its un-acked connections go back to
     * the head of the queue in their order. Idempotent.
     *
     * @return how many went back
     */
    int unlinked(int link) {
        WorkerLink l = links.remove(link);
        if (l == null) {
            return 0;
        }
        List<Connection> back = l.takeUnacked();
        for (int i = back.size() - 1; i >= 0; i--) {
            queue.addFirst(back.get(i));
        }
        return back.size();
    }

    /**
     * Links not being ended already whose oldest un-acked batch is older than {@value #STALL_MS} ms
     * while the worker is stopped, or older than {@value #LIVE_STALL_MS} ms: a stopped or stuck
     * worker, whose connections should go elsewhere.
     */
    List<Integer> overdue(long now) {
        return links.values().stream().filter(l -> l.overdue(now, TIMING)).map(WorkerLink::id).toList();
    }

    /**
     * The worker's link is being ended (a send failed, or its ack is overdue): it gets nothing more.
     * Its un-acked connections stay booked until {@link #unlinked}, as acks it sent before the end
     * may still be read.
     */
    void closing(int link) {
        WorkerLink l = links.get(link);
        if (l != null) {
            l.close();
        }
    }

    /**
     * Takes the next batch off the queue and books it as sent to the chosen worker, or empty when
     * nothing is queued or no worker is eligible. The caller sends it; a failed send is a link end.
     */
    Optional<Batch> next(long now) {
        if (queue.isEmpty() || links.isEmpty()) {
            return Optional.empty();
        }
        List<WorkerLink> order = new ArrayList<>(links.values());
        List<WorkerLink> eligible = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            WorkerLink l = order.get((cursor + i) % order.size());
            if (l.eligible(now, TIMING)) {
                eligible.add(l);
            }
        }
        if (eligible.isEmpty()) {
            return Optional.empty();
        }
        // one reading per worker: the active counts move under us (the workers write them)
        long[] busyNow = eligible.stream().mapToLong(WorkerLink::busy).toArray();
        long least = java.util.Arrays.stream(busyNow).min().orElseThrow();
        long busy = java.util.Arrays.stream(busyNow).sum();
        WorkerLink chosen = null;
        long chosenBusy = 0;
        for (int i = 0; i < eligible.size(); i++) {
            WorkerLink l = eligible.get(i);
            if (busyNow[i] <= least + BUSY_SLACK && (chosen == null || l.sent() < chosen.sent())) {
                chosen = l;
                chosenBusy = busyNow[i];
            }
        }
        cursor = order.indexOf(chosen) + 1;
        // enough to lift the chosen worker to the eligible workers' average once the queue is
        // spread over them, and at least one
        long share = Math.max(1, (queue.size() + busy + eligible.size() - 1) / eligible.size() - chosenBusy);
        int size = (int) Math.min(Math.min(share, MAX_BATCH), Math.min(chosen.credit(), queue.size()));
        List<Connection> connections = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            connections.add(queue.removeFirst());
        }
        long number = nextBatch++;
        chosen.sent(number, connections, now);
        return Optional.of(new Batch(chosen.id(), number, connections));
    }

    /** Connections waiting for a worker. */
    int queued() {
        return queue.size();
    }

    /** Connections sent and not yet acknowledged. */
    int inFlight() {
        return links.values().stream().mapToInt(WorkerLink::inFlight).sum();
    }

    /** Workers linked now. */
    int links() {
        return links.size();
    }

    /** Whether the dispatcher holds no connection. */
    boolean idle() {
        return queue.isEmpty() && inFlight() == 0;
    }

    /** Empties the books, at exit: every connection still held, for the caller to close. */
    List<Connection> clear() {
        List<Connection> held = new ArrayList<>(queue);
        queue.clear();
        links.values().forEach(l -> held.addAll(l.takeUnacked()));
        links.clear();
        return held;
    }
}
