package dev.berth.master;

import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Where the supervisor reports its {@link MasterEvent}s: each is logged as one line, kept among
 * the last {@value #KEPT} for status and the admin page, counted (restarts per pool and cause),
 * and passed to subscribers (the admin plane). Owned by the supervisor thread: {@link #on} and
 * the readers run there; subscribers are called there too and must not block.
 */
final class MasterEvents implements Consumer<MasterEvent> {

    static final int KEPT = 100;
    private static final Logger LOG = Logger.getLogger(MasterEvents.class.getName());

    private final InstantSource wallClock;
    private final Deque<Status.EventStatus> recent = new ArrayDeque<>();
    private final Map<String, Map<RestartCause, Long>> restarts = new HashMap<>();
    private final List<Consumer<MasterEvent>> subscribers = new CopyOnWriteArrayList<>();

    /** @param wallClock stamps each event with the time an operator reads */
    MasterEvents(InstantSource wallClock) {
        this.wallClock = wallClock;
    }

    /** Events that only log: for tests of parts of the supervisor. */
    static MasterEvents loggingOnly() {
        return new MasterEvents(InstantSource.system());
    }

    @Override
    public void accept(MasterEvent event) {
        on(event);
    }

    /** Logs, keeps, counts and passes on {@code event}. */
    void on(MasterEvent event) {
        log(event);
        recent.addLast(Status.EventStatus.of(wallClock.instant(), event));
        while (recent.size() > KEPT) {
            recent.removeFirst();
        }
        if (event instanceof MasterEvent.Restart r) {
            restarts.computeIfAbsent(r.process().pool(), p -> new EnumMap<>(RestartCause.class))
                    .merge(r.restartCause(), 1L, Long::sum);
        }
        for (Consumer<MasterEvent> subscriber : subscribers) {
            subscriber.accept(event);
        }
    }

    /** Adds a subscriber, called on the supervisor thread for every later event. */
    void subscribe(Consumer<MasterEvent> subscriber) {
        subscribers.add(subscriber);
    }

    /** The last events, oldest first. */
    List<Status.EventStatus> recent() {
        return List.copyOf(recent);
    }

    /** Restarts of {@code pool} by cause since the master started, every cause present (0 if none). */
    Map<String, Long> restarts(String pool) {
        Map<String, Long> counts = new java.util.LinkedHashMap<>();
        Map<RestartCause, Long> seen = restarts.getOrDefault(pool, Map.of());
        for (RestartCause cause : RestartCause.values()) {
            counts.put(cause.label(), seen.getOrDefault(cause, 0L));
        }
        return counts;
    }

    private static void log(MasterEvent event) {
        boolean bad = event instanceof MasterEvent.Restart r
                && (r.restartCause() == RestartCause.CRASH || r.restartCause() == RestartCause.HANG)
                || event instanceof MasterEvent.Throttled
                || event instanceof MasterEvent.Reloaded reloaded && !reloaded.ok();
        StringBuilder line = new StringBuilder();
        event.child().ifPresentOrElse(c -> line.append(c), () -> event.pool().ifPresent(p -> line.append("pool=").append(p)));
        line.append(line.isEmpty() ? "" : " ").append("event=").append(event.name());
        event.cause().ifPresent(c -> line.append(" cause=").append(c));
        LogRecord record = new LogRecord(bad ? Level.WARNING : Level.INFO, line + ": " + event.message());
        record.setLoggerName(LOG.getName());
        record.setParameters(new Object[] {event});
        LOG.log(record);
    }
}
