package dev.berth.tenancy;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many connections the classification routed or refused, per service, group and way (the
 * {@code how} of {@code berth_tenant_classified_total}). Thread-safe: the classifying threads add,
 * a reporter takes snapshots. Counts only grow.
 */
public final class TenantCounts {

    /** The word {@link Count#how} has for a refused connection. */
    public static final String REFUSED = "refused";

    private final ConcurrentHashMap<Key, LongAdder> counts = new ConcurrentHashMap<>();

    private record Key(String service, String group, String how, String cause) {
    }

    /**
     * One row of counts.
     *
     * @param service the service the connections came in on
     * @param group the group they went to; for a refusal the group they would have gone to, or empty
     * @param how {@code address}, {@code loopback}, {@code default}, or {@code refused}
     * @param cause for a refusal: {@code no-owner}, {@code not-served} or {@code loopback-denied}; else empty
     * @param count connections since the counter started
     */
    public record Count(String service, String group, String how, String cause, long count) {
    }

    /** Counts one classification. Never blocks. */
    public void add(String service, Verdict verdict) {
        Key key = switch (verdict) {
            case Verdict.Routed r -> new Key(service, r.group(), r.how().label(), "");
            case Verdict.Refused r -> new Key(service, r.group(), REFUSED, r.cause().label());
        };
        counts.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    /** The counts now, sorted by service, group, how and cause. */
    public List<Count> snapshot() {
        return counts.entrySet().stream()
                .map(e -> new Count(e.getKey().service(), e.getKey().group(), e.getKey().how(), e.getKey().cause(),
                        e.getValue().sum()))
                .sorted(Comparator.comparing(Count::service).thenComparing(Count::group).thenComparing(Count::how)
                        .thenComparing(Count::cause))
                .toList();
    }
}
