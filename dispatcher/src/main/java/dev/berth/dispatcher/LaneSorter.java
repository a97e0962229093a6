package dev.berth.dispatcher;

import dev.berth.posix.PosixException;
import dev.berth.scoreboard.CounterFamily;
import dev.berth.scoreboard.Counters;
import dev.berth.posix.TcpConnections;
import dev.berth.tenancy.Classifier;
import dev.berth.tenancy.PeerOwners;
import dev.berth.tenancy.RefusalLog;
import dev.berth.tenancy.Refusals;
import dev.berth.tenancy.ServiceTenancy;
import dev.berth.tenancy.Verdict;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Puts each accepted connection on the lane of the pool instance that serves it (docs/adr/0013):
 * a connection of a service without groups goes to the pool's own lane at once; one of a grouped
 * service is classified ({@link Classifier}) on the dispatch thread that accepted it and goes to
 * the lane {@code POOL@GROUP}, or is refused in its protocol's terms and never queued. Every verdict is
 * counted in the dispatcher's scoreboard slot ({@code berth_tenant_classified_total{service,group,how}},
 * {@link Verdict#how}); refusals are logged ({@link RefusalLog}).
 *
 * <p>Thread-safe: the dispatch thread calls {@link #lane} with its own {@link PeerOwners}; the
 * classifier is read from a supplier the main thread updates when the master sends new claims.
 */
final class LaneSorter {

    private final String pool;
    private final Map<String, ServiceTenancy> grouped;
    private final Map<String, byte[]> refusalTexts;
    private final Supplier<Classifier> classifier;
    private final Counters counters;
    private final Map<List<String>, Counters.Counter> handles = new ConcurrentHashMap<>();
    private final Refusals refusals;
    private final RefusalLog log;

    /**
     * What a sorter needs.
     *
     * @param pool the dispatcher's pool: the lane of services without groups, and the prefix of the
     *     groups' lanes
     * @param grouped the tenancy of each grouped service, by name
     * @param refusalTexts each grouped service's refusal, by name (empty bytes: closed without a word)
     * @param classifier the current classifier
     */
    record Setup(String pool, Map<String, ServiceTenancy> grouped, Map<String, byte[]> refusalTexts,
                 Supplier<Classifier> classifier) {

        /** Copies the maps. */
        Setup {
            grouped = Map.copyOf(grouped);
            refusalTexts = Map.copyOf(refusalTexts);
        }
    }

    /**
     * @param counters the dispatcher's slot counters
     */
    LaneSorter(Setup setup, Counters counters, Refusals refusals, RefusalLog log) {
        this.pool = setup.pool();
        this.grouped = setup.grouped();
        this.refusalTexts = setup.refusalTexts();
        this.classifier = setup.classifier();
        this.counters = counters;
        this.refusals = refusals;
        this.log = log;
    }

    /** Whether the service's connections are classified (it has groups). */
    boolean classifies(String service) {
        return grouped.containsKey(service);
    }

    /**
     * The lane of an accepted connection.
     *
     * @param fd the accepted connection; when refused, owned by the refusals from then on
     * @param owners finds the group of a local peer's process, for this thread
     * @param bound the listener's address when it is a specific one, which is then every accepted
     *     connection's destination (no {@code getsockname} needed); empty for a wildcard listener
     * @return the lane, or empty when the connection was refused
     */
    Optional<String> lane(int fd, String service, PeerOwners owners, Optional<InetSocketAddress> bound) {
        ServiceTenancy tenancy = grouped.get(service);
        if (tenancy == null) {
            return Optional.of(pool);
        }
        InetSocketAddress local;
        InetSocketAddress peer;
        try {
            local = bound.isPresent() ? bound.get() : TcpConnections.local(fd);
            peer = TcpConnections.peer(fd);
        } catch (PosixException e) {
            // the client gave up before we looked (ENOTCONN): nothing to refuse to
            refusals.refuse(fd, new byte[0]);
            return Optional.empty();
        }
        Verdict verdict = classifier.get().classify(tenancy, local, peer, owners);
        handles.computeIfAbsent(List.of(service, verdict.group(), verdict.how()),
                k -> counters.counter(CounterFamily.TENANT_CLASSIFIED, k.get(0), k.get(1), k.get(2))).increment();
        return switch (verdict) {
            case Verdict.Routed routed -> Optional.of(pool + "@" + routed.group());
            case Verdict.Refused refused -> {
                log.refused(service, refused, local, peer);
                refusals.refuse(fd, refusalTexts.getOrDefault(service, new byte[0]));
                yield Optional.empty();
            }
        };
    }
}
