package dev.berth.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.posix.Processes;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the soak does to berth: {@link #reload} (every 2 s) asks the master for a reload, and
 * {@link #strike} (every 5 s) SIGKILLs or SIGSTOPs one live worker picked at random, leaving the
 * stopped one to the master's hang detection. Every strike is logged with its time, so that a
 * failed connection can be checked against it: a connection a struck worker had accepted may fail
 * (no one can save it); any other may not. A SIGKILLed worker may still take connections until its
 * process is gone: a thread woken out of accept(2) by the signal that finds the queue non-empty
 * dequeues a connection before it dies (inet_csk_wait_for_connect looks at the queue before at
 * signals), and on a loaded host the threads of a killed JVM can take a second to die; so a
 * SIGKILL explains what failed from the strike until the process was gone. Called from one
 * scheduler thread each.
 */
final class SoakChaos {

    /**
     * A strike: when (System.nanoTime), which pid, which signal, and when (System.nanoTime) the
     * struck process was seen gone (for SIGKILL; a SIGSTOPped worker takes nothing new).
     */
    record Strike(long nanos, java.time.Instant at, long pid, String signal, CompletableFuture<Long> gone) {

        /** The last moment the struck worker could have held a connection that began then. */
        long until() {
            return gone.getNow(Long.MAX_VALUE);
        }
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
        long now = System.nanoTime();
        CompletableFuture<Long> gone = kill
                ? ProcessHandle.of(pid).map(p -> p.onExit().thenApply(h -> System.nanoTime()))
                        .orElse(CompletableFuture.completedFuture(now))
                : CompletableFuture.completedFuture(now);
        strikes.add(new Strike(now, java.time.Instant.now(), pid, kill ? "SIGKILL" : "SIGSTOP", gone));
        if (!kill) {
            stopped.add(pid);
        }
        Processes.signal(pid, kill ? Processes.SIGKILL : Processes.SIGSTOP);
    }

    /**
     * Whether the failure overlaps a strike's reach, from the strike until its process was gone
     * (plus {@code slackNanos} before the start): the failure has a cause berth cannot undo.
     */
    boolean explains(SoakLoad.Failure failure, long slackNanos) {
        return strikes.stream().anyMatch(s -> s.until() >= failure.startNanos() - slackNanos
                && s.nanos() <= failure.endNanos());
    }

    /** Wakes whatever the master has not reaped yet, so that nothing stays stopped after the run. */
    void release() {
        stopped.forEach(pid -> Processes.signal(pid, Processes.SIGCONT));
    }
}
