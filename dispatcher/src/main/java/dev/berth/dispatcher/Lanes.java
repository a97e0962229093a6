package dev.berth.dispatcher;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The dispatcher's books, one {@link DispatchBook} per lane (docs/adr/0013): a lane is the pool
 * instance whose workers take its connections, the pool itself for services without groups, or
 * {@code POOL@GROUP} for a tenant group's. A connection is queued on its lane and goes only to a
 * worker linked on that lane; everything else (credit, acks, revoke, re-queue at a link's end) is
 * each book's, as in ADR 0005. A dispatcher with one lane is exactly one book.
 *
 * <p>Owned by the dispatch thread; not thread-safe.
 */
final class Lanes {

    private final Map<String, DispatchBook> books = new LinkedHashMap<>();
    private final Map<Integer, DispatchBook> byLink = new HashMap<>();
    private int cursor;

    /**
     * @param lanes the lanes, in the assignment's order; at least one
     */
    Lanes(List<String> lanes) {
        if (lanes.isEmpty()) {
            throw new IllegalArgumentException("a dispatcher needs at least one lane");
        }
        lanes.forEach(lane -> books.put(lane, new DispatchBook()));
    }

    /**
     * A connection was accepted for its lane.
     *
     * @throws IllegalArgumentException for a lane this dispatcher does not feed
     */
    void accepted(Connection connection) {
        book(connection.lane()).accepted(connection);
    }

    /** A worker linked on {@code lane}. */
    void linked(int link, WorkerGauge gauge, String lane) {
        DispatchBook book = book(lane);
        book.linked(link, gauge);
        byLink.put(link, book);
    }

    void credit(int link, int connections) {
        DispatchBook book = byLink.get(link);
        if (book != null) {
            book.credit(link, connections);
        }
    }

    List<Connection> acked(int link, long batch) {
        DispatchBook book = byLink.get(link);
        return book == null ? List.of() : book.acked(link, batch);
    }

    int unlinked(int link) {
        DispatchBook book = byLink.remove(link);
        return book == null ? 0 : book.unlinked(link);
    }

    List<Integer> overdue(long now) {
        List<Integer> all = new ArrayList<>();
        books.values().forEach(b -> all.addAll(b.overdue(now)));
        return all;
    }

    void closing(int link) {
        DispatchBook book = byLink.get(link);
        if (book != null) {
            book.closing(link);
        }
    }

    /** The next batch of some lane, the lanes taken in turn; empty when no lane has one. */
    Optional<Batch> next(long now) {
        List<DispatchBook> all = new ArrayList<>(books.values());
        for (int i = 0; i < all.size(); i++) {
            int at = (cursor + i) % all.size();
            Optional<Batch> batch = all.get(at).next(now);
            if (batch.isPresent()) {
                cursor = at + 1;
                return batch;
            }
        }
        return Optional.empty();
    }

    int queued() {
        return books.values().stream().mapToInt(DispatchBook::queued).sum();
    }

    int inFlight() {
        return books.values().stream().mapToInt(DispatchBook::inFlight).sum();
    }

    int links() {
        return books.values().stream().mapToInt(DispatchBook::links).sum();
    }

    boolean idle() {
        return books.values().stream().allMatch(DispatchBook::idle);
    }

    List<Connection> clear() {
        List<Connection> held = new ArrayList<>();
        books.values().forEach(b -> held.addAll(b.clear()));
        byLink.clear();
        return held;
    }

    private DispatchBook book(String lane) {
        DispatchBook book = books.get(lane);
        if (book == null) {
            throw new IllegalArgumentException("no lane " + lane + "; lanes: " + books.keySet());
        }
        return book;
    }
}
