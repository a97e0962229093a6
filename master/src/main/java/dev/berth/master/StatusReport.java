package dev.berth.master;

import dev.berth.config.HostConfig;
import dev.berth.config.ServiceConfig;
import dev.berth.scoreboard.CounterFamily;
import dev.berth.tenancy.Addresses;
import dev.berth.tenancy.Claim;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Builds a {@link Status} from the supervisor's state. Runs on the supervisor thread. */
final class StatusReport {

    private StatusReport() {
    }

    static Status of(ProcessSupervisor supervisor, Listeners listeners, long uptimeMs, long nowMs, String admin,
                     List<Claim> claims) {
        HostConfig config = supervisor.config();
        List<Status.ServiceStatus> services = new ArrayList<>();
        for (ServiceConfig s : config.services()) {
            services.add(new Status.ServiceStatus(s.name(), s.kind(), s.pool(),
                    listeners.of(s.name()).stream().map(BoundListener::bound).toList()));
        }
        List<Status.PoolStatus> pools = new ArrayList<>();
        for (PoolState pool : supervisor.poolsAndMesh()) {
            List<Status.WorkerStatus> workers = pool.workers().stream()
                    .sorted(Comparator.comparingLong(WorkerProcess::generation).thenComparingInt(WorkerProcess::id))
                    .map(w -> worker(w, nowMs)).toList();
            List<Status.DispatcherStatus> dispatchers = pool.dispatchers().stream()
                    .sorted(Comparator.comparingLong(WorkerProcess::generation)).map(d -> dispatcher(d, nowMs)).toList();
            pools.add(new Status.PoolStatus(pool.config().name(), pool.config().accept().configName(),
                    pool.restarts().throttled(), pool.restarts().total(), pool.sizer().target(),
                    pool.config().workers().min(), pool.config().workers().max(),
                    pool.load(supervisor.generation()), pool.sizer().reason(), workers, dispatchers,
                    supervisor.events().restarts(pool.config().name())));
        }
        return new Status(new Status.MasterStatus(ProcessHandle.current().pid(), supervisor.generation(), uptimeMs,
                admin, supervisor.ready()), services, pools, supervisor.events().recent(), tenancy(supervisor, claims));
    }

    /** The address table and classification counts; null without groups. */
    private static Status.TenancyStatus tenancy(ProcessSupervisor supervisor, List<Claim> claims) {
        if (supervisor.config().groups().isEmpty()) {
            return null;
        }
        List<Status.AddressStatus> addresses = claims.stream().map(c -> new Status.AddressStatus(
                Addresses.text(c.address()), c.group(), c.device(), Instant.ofEpochMilli(c.since()).toString(),
                c.origin().name().toLowerCase(Locale.ROOT), c.draining() ? "draining" : "claimed")).toList();
        Map<List<String>, Long> sums = new TreeMap<>(Comparator.comparing((List<String> l) -> String.join("\0", l)));
        for (MasterSnapshot.CounterTotal total : supervisor.counters()) {
            if (total.family() == CounterFamily.TENANT_CLASSIFIED) {
                sums.merge(total.labels(), total.values()[0], Long::sum);
            }
        }
        List<Status.TenantCount> counts = sums.entrySet().stream().map(e -> new Status.TenantCount(e.getKey().get(0),
                e.getKey().get(1), e.getKey().get(2), e.getValue())).toList();
        return new Status.TenancyStatus(addresses, counts);
    }

    private static Status.WorkerStatus worker(WorkerProcess w, long nowMs) {
        return new Status.WorkerStatus(w.id(), w.pid(), w.generation(), state(w),
                w.slot().active(), w.slot().served(), w.slot().accepted(), beatAge(w, nowMs), w.slot().load(),
                Math.max(0, nowMs - w.spawnedAt()), w.slot().acceptLimit(),
                w.slot().acceptLimit() == 0 ? 0 : Math.max(0, w.slot().accepted() - w.slot().acceptLimit()));
    }

    /** Its phase in lower case; a spare that has not attached (so not prepared yet) is {@code spare-starting}. */
    private static String state(WorkerProcess w) {
        boolean unprepared = w.phase() == WorkerProcess.Phase.SPARE && w.control().isEmpty();
        return unprepared ? "spare-starting" : w.phase().name().toLowerCase(Locale.ROOT);
    }

    private static Status.DispatcherStatus dispatcher(WorkerProcess d, long nowMs) {
        return new Status.DispatcherStatus(d.pid(), d.generation(), d.phase().name().toLowerCase(Locale.ROOT),
                d.slot().queued(), d.slot().inFlight(), d.slot().links(), d.slot().accepted(), d.slot().served(),
                beatAge(d, nowMs));
    }

    private static long beatAge(WorkerProcess child, long nowMs) {
        long beat = child.slot().oldestBeat();
        return beat == Long.MAX_VALUE ? -1 : Math.max(0, nowMs - beat);
    }
}
