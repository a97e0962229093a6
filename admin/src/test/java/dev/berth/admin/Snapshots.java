package dev.berth.admin;

import dev.berth.master.MasterSnapshot;
import dev.berth.master.Status;
import dev.berth.scoreboard.CounterFamily;
import java.util.List;
import java.util.Map;

/** Hand-built master snapshots for the admin plane's tests. */
final class Snapshots {

    private Snapshots() {
    }

    static Status.WorkerStatus worker(int id, long pid, String state) {
        return new Status.WorkerStatus(id, pid, 2, state, 3, 40, 41, 5, 250, 60_000);
    }

    static Status.PoolStatus pool(String name, String accept, int min, List<Status.WorkerStatus> workers,
                                  List<Status.DispatcherStatus> dispatchers) {
        return new Status.PoolStatus(name, accept, false, 1, workers.size(), min, 4, 250, "started with " + min,
                workers, dispatchers, Map.of("crash", 1L, "hang", 0L, "recycle", 0L, "reload", 0L, "scale", 0L));
    }

    /** A pool "web" of two ready workers (pids 101, 102) and a handoff pool "mail" with a dispatcher. */
    static MasterSnapshot twoPools() {
        Status status = new Status(new Status.MasterStatus(7, 2, 90_000, "127.0.0.1:8025", true),
                List.of(new Status.ServiceStatus("hello", "http", "web", List.of("127.0.0.1:8080")),
                        new Status.ServiceStatus("mx", "smtp", "mail", List.of("127.0.0.1:2525"))),
                List.of(pool("web", "shared", 2, List.of(worker(1, 101, "ready"), worker(2, 102, "ready")), List.of()),
                        pool("mail", "handoff", 1, List.of(worker(1, 201, "ready")),
                                List.of(new Status.DispatcherStatus(200, 2, "ready", 4, 1, 1, 50, 46, 3)))),
                List.of(new Status.EventStatus("2026-01-01T00:00:00Z", "restart", "web", "worker", 1, 100, 2, "crash",
                        "died (killed by signal 9); replacing it in 100 ms")));
        return new MasterSnapshot(status, List.of(
                new MasterSnapshot.CounterTotal("web", CounterFamily.CONNECTIONS_ACCEPTED, List.of("hello"), new long[] {82}),
                new MasterSnapshot.CounterTotal("mail", CounterFamily.SMTP_REPLIES, List.of("mx", "250"), new long[] {9}),
                new MasterSnapshot.CounterTotal("mail", CounterFamily.SCAN_VERDICTS, List.of("mx", "sig", "infected"),
                        new long[] {2}),
                new MasterSnapshot.CounterTotal("mail", CounterFamily.MESH_CALL_SECONDS, List.of("quotes"),
                        new long[] {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2_000_050_000L})),
                Map.of("web", 0L, "mail", 0L));
    }
}
