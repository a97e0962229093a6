package dev.berth.dispatcher;

import dev.berth.control.ControlChannel;
import dev.berth.control.ControlMessage;
import dev.berth.posix.FileDescriptors;
import dev.berth.scoreboard.WorkerSlot;
import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The dispatch thread: owns the {@link DispatchBook} and every worker link's sending side, runs the
 * events the other threads post, and sends each batch the book chooses as one packet (several
 * descriptors per {@code sendmsg}, never waiting for an ack). It closes a connection's descriptor
 * only once its worker acknowledged it, and then gives its unit of room back to the accept threads.
 *
 * <p>A link whose ack is overdue (a stopped worker) or whose send failed is revoked: Revoke, then
 * shutdown; what it had not acked goes back to the queue once its reader has read the last ack
 * (docs/adr/0005).
 *
 * <p>It stamps its heartbeat at least every {@value #IDLE_POLL_MS} ms, and re-judges the workers
 * every {@value #WAITING_POLL_MS} ms while it holds connections (a stalled worker may recover, an
 * ack may become overdue). Sends
 * never block for long: a worker is sent at most the credit it granted. After {@link
 * DispatchEvent.Drain} it stops once it holds nothing, or at the drain deadline, closing what is
 * left.
 */
final class DispatchAgent {

    private static final System.Logger LOG = System.getLogger(DispatchAgent.class.getName());
    static final long IDLE_POLL_MS = 100;
    static final long WAITING_POLL_MS = 10;

    private final LinkedBlockingQueue<DispatchEvent> inbox = new LinkedBlockingQueue<>();
    private final Lanes book;
    private final Map<Integer, ControlChannel> channels = new HashMap<>();
    private final Semaphore room;
    private final WorkerSlot slot;
    private final int beat;
    private final LongSupplier clock;
    private final Runnable onFailure;
    private final Thread thread;
    private long drainDeadline = Long.MAX_VALUE;

    /**
     * @param lanes the books of the lanes it feeds (one for a pool without tenant groups)
     * @param room units of queue room, one per connection held; released here when a connection is
     *     handed over or closed
     * @param slot the dispatcher's own slot: heartbeat entry {@code beat}, counters, handoff figures
     * @param clock monotonic milliseconds, the clock of the workers' heartbeats
     * @param onFailure run on the dispatch thread if it fails unexpectedly: ends the process
     */
    DispatchAgent(Lanes lanes, Semaphore room, WorkerSlot slot, int beat, LongSupplier clock, Runnable onFailure) {
        this.book = lanes;
        this.room = room;
        this.slot = slot;
        this.beat = beat;
        this.clock = clock;
        this.onFailure = onFailure;
        this.thread = Thread.ofPlatform().name("dispatch").unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /** Queues an event for the dispatch thread. Any thread; never blocks. */
    void post(DispatchEvent event) {
        inbox.add(event);
    }

    /** Waits up to {@code millis} for the thread to finish after a drain. */
    boolean join(long millis) throws InterruptedException {
        return thread.join(java.time.Duration.ofMillis(millis));
    }

    private void run() {
        try {
            while (true) {
                slot.beat(beat, clock.getAsLong());
                DispatchEvent event = inbox.poll(book.idle() ? IDLE_POLL_MS : WAITING_POLL_MS,
                        TimeUnit.MILLISECONDS);
                for (; event != null; event = inbox.poll()) {
                    handle(event);
                }
                book.overdue(clock.getAsLong()).forEach(link -> revoke(link, "an ack is overdue"));
                dispatch();
                slot.handoff(book.queued(), book.inFlight(), book.links());
                if (drainDeadline != Long.MAX_VALUE && (book.idle() || clock.getAsLong() >= drainDeadline)) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // without this thread nothing is handed off; a quick exit gets a replacement started
            // after the pool's back-off instead of after the hang timeout
            LOG.log(Level.ERROR, "dispatch thread failed; exiting", e);
            onFailure.run();
        } finally {
            closeEverything();
        }
    }

    private void handle(DispatchEvent event) {
        switch (event) {
            case DispatchEvent.Accepted a -> {
                slot.connectionAccepted();
                book.accepted(a.connection());
            }
            case DispatchEvent.Linked l -> {
                channels.put(l.link(), l.channel());
                book.linked(l.link(), l.gauge(), l.lane());
            }
            case DispatchEvent.Credited c -> book.credit(c.link(), c.connections());
            case DispatchEvent.Acked a -> book.acked(a.link(), a.batch()).forEach(this::handedOver);
            case DispatchEvent.Unlinked u -> unlinked(u.link());
            case DispatchEvent.Drain d -> drainDeadline = clock.getAsLong() + d.timeoutMillis();
        }
    }

    private void dispatch() {
        long now = clock.getAsLong();
        for (Optional<Batch> next = book.next(now); next.isPresent(); next = book.next(now)) {
            Batch batch = next.get();
            List<Connection> connections = batch.connections();
            ControlChannel channel = channels.get(batch.link());
            try {
                channel.send(new ControlMessage.Handoff(batch.number(),
                        connections.stream().map(Connection::service).toList()),
                        connections.stream().mapToInt(Connection::fd).toArray());
            } catch (RuntimeException e) {
                // not delivered (a packet goes whole or not at all)
                revoke(batch.link(), "a send failed (" + e.getMessage() + ")");
            }
        }
    }

    /**
     * Ends a link from this side: Revoke, then shutdown. Its un-acked connections go back to the
     * queue when its reader reaches the end, after every ack the worker managed to send.
     */
    private void revoke(int link, String why) {
        LOG.log(Level.WARNING, "link " + link + ": " + why + "; ending it and taking back what it did not ack");
        book.closing(link);
        ControlChannel channel = channels.get(link);
        try {
            channel.send(new ControlMessage.Revoke());
        } catch (RuntimeException e) {
            // the worker's end is gone already; the shutdown below ends ours
        }
        channel.shutdown();
    }

    /** The worker owns the connection: the dispatcher's copy is closed, the only close it does. */
    private void handedOver(Connection connection) {
        release(connection);
        slot.requestServed();
    }

    private void release(Connection connection) {
        try {
            FileDescriptors.close(connection.fd());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "closing the dispatcher's copy failed: " + e.getMessage());
        }
        slot.connectionClosed();
        room.release();
    }

    private void unlinked(int link) {
        int back = book.unlinked(link);
        ControlChannel channel = channels.remove(link);
        if (channel != null) {
            channel.close();
        }
        if (back > 0) {
            LOG.log(Level.INFO, "link " + link + " ended with " + back + " connections unacknowledged;"
                    + " they go to other workers");
        }
    }

    private void closeEverything() {
        List<Connection> held = book.clear();
        if (!held.isEmpty()) {
            LOG.log(Level.WARNING, "stopping with " + held.size() + " connections not handed off; closing them");
        }
        held.forEach(this::release);
        channels.values().forEach(ControlChannel::close);
        channels.clear();
        slot.handoff(0, 0, 0);
    }
}
