package dev.berth.tenancy;

import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Logs refused connections without flooding the log: per service, the first refusal of each
 * second is logged in full, the others of that second are counted and reported with the next line.
 * Thread-safe; never blocks beyond the logger.
 */
public final class RefusalLog {

    private static final System.Logger LOG = System.getLogger(RefusalLog.class.getName());
    static final long PERIOD_MS = 1_000;

    private final LongSupplier clock;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    private static final class Window {
        final AtomicLong start = new AtomicLong(Long.MIN_VALUE);
        final AtomicLong suppressed = new AtomicLong();
    }

    /**
     * @param clock monotonic milliseconds
     */
    public RefusalLog(LongSupplier clock) {
        this.clock = clock;
    }

    /** Records one refusal; returns the line it logged, or null when it was counted only. */
    public String refused(String service, Verdict.Refused verdict, InetSocketAddress local, InetSocketAddress peer) {
        Window w = windows.computeIfAbsent(service, s -> new Window());
        long now = clock.getAsLong();
        long start = w.start.get();
        boolean first = start == Long.MIN_VALUE; // (now - MIN_VALUE would overflow and look recent)
        if (!first && now - start < PERIOD_MS || !w.start.compareAndSet(start, now)) {
            w.suppressed.incrementAndGet();
            return null;
        }
        long more = w.suppressed.getAndSet(0);
        String line = "service " + service + ": refused " + peer + " -> " + local + " (" + verdict.cause().label()
                + (verdict.group().isEmpty() ? "" : ", group " + verdict.group()) + ")"
                + (more > 0 ? "; " + more + " more refused since the last line" : "");
        LOG.log(Level.INFO, line);
        return line;
    }
}
