package dev.berth.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.posix.Processes;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the soak does to berth: {@link #reload} (every 2 s) asks the master for a reload, and
 * {@link #strike} (every 5 s) SIGKILLs or SIGSTOPs one live worker picked at random, leaving the
 * stopped one to the master's hang detection. Every strike is logged with its time, so that a
 * failed connection can be checked against it: a connection a struck worker had accepted may fail
 * (no one can save it); any other may not. Called from one scheduler thread each.
 */
final class SoakChaos {

    /** A strike: when (System.nanoTime), which pid, which signal. */
    record Strike(long nanos, java.time.Instant at, long pid, String signal) {
    }

    private final Berth berth;
    private final Random random;
    final Queue<Strike> strikes = new ConcurrentLinkedQueue<>();
    final List<Long> stopped = new java.util.concurrent.CopyOnWriteArrayList<>();
    final AtomicLong reloads = new AtomicLong();
    final AtomicLong reloadsRefused = new AtomicLong();

    SoakChaos(Berth berth, long seed) {
        this.berth = berth;
        this.random = new Random(seed);
    }

    void reload() {
        JsonNode reply = berth.request("reload", false);
        (reply.path("ok").asBoolean() ? reloads : reloadsRefused).incrementAndGet();
    }

    void strike() {
        List<Long> pids = new ArrayList<>();
        for (JsonNode pool : berth.status().path("pools")) {
            for (JsonNode w : pool.path("workers")) {
                if (w.path("state").asText().equals("ready") && w.path("pid").asLong() > 0) {
                    pids.add(w.path("pid").asLong());
                }
            }
        }
        if (pids.isEmpty()) {
            return;
        }
        long pid = pids.get(random.nextInt(pids.size()));
        boolean kill = random.nextBoolean();
        strikes.add(new Strike(System.nanoTime(), java.time.Instant.now(), pid, kill ? "SIGKILL" : "SIGSTOP"));
        if (!kill) {
            stopped.add(pid);
        }
        Processes.signal(pid, kill ? Processes.SIGKILL : Processes.SIGSTOP);
    }

    /** Whether a strike fell within [start - slack, end]: the failure has a cause berth cannot undo. */
    boolean explains(SoakLoad.Failure failure, long slackNanos) {
        return strikes.stream().anyMatch(s -> s.nanos() >= failure.startNanos() - slackNanos && s.nanos() <= failure.endNanos());
    }

    /** Wakes whatever the master has not reaped yet, so that nothing stays stopped after the run. */
    void release() {
        stopped.forEach(pid -> Processes.signal(pid, Processes.SIGCONT));
    }
}
