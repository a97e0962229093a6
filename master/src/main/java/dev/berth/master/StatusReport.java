package dev.berth.master;

import dev.berth.config.HostConfig;
import dev.berth.config.ServiceConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Builds a {@link Status} from the supervisor's state. Runs on the supervisor thread. */
final class StatusReport {

    private StatusReport() {
    }

    static Status of(ProcessSupervisor supervisor, Listeners listeners, long uptimeMs, long nowMs, String admin) {
        HostConfig config = supervisor.config();
        List<Status.ServiceStatus> services = new ArrayList<>();
        for (ServiceConfig s : config.services()) {
            services.add(new Status.ServiceStatus(s.name(), s.kind(), s.pool(),
                    listeners.of(s.name()).stream().map(BoundListener::bound).toList()));
        }
        List<Status.PoolStatus> pools = new ArrayList<>();
        for (PoolState pool : supervisor.pools().values()) {
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
                admin, supervisor.ready()), services, pools, supervisor.events().recent());
    }

    private static Status.WorkerStatus worker(WorkerProcess w, long nowMs) {
        return new Status.WorkerStatus(w.id(), w.pid(), w.generation(), w.phase().name().toLowerCase(Locale.ROOT),
                w.slot().active(), w.slot().served(), w.slot().accepted(), beatAge(w, nowMs), w.slot().load(),
                Math.max(0, nowMs - w.spawnedAt()));
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
