package dev.berth.mesh;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * bench/mesh: the slot round trip between two processes, without a proxy: {@code pong FILE} answers
 * every call in its slot's reply ring; {@code ping FILE N GAP_US} sends N calls of 32 bytes, each
 * after the reply to the one before plus a pause of GAP_US microseconds (0: back to back, both
 * sides spinning; 1000: both sides asleep on their futex when the call comes, the wake-up from
 * idle), and prints {@code p50 p90 p99 p999} in nanoseconds. The pong side spins for the same 20 µs
 * budget as the proxy, then sleeps. {@code serve FILE GROUP} attaches like a worker and serves
 * {@code GROUP} with the echo handler until killed (an idle worker, for the idle CPU of a proxy).
 */
public final class SlotBench {

    private SlotBench() {
    }

    public static void main(String[] args) throws Exception {
        SlotFile file = args[0].equals("create") ? SlotFile.create(Path.of(args[1]), 2, 64 * 1024) : SlotFile.open(Path.of(args[1]));
        switch (args[0]) {
            case "create" -> file.close();
            case "pong" -> pong(file);
            case "ping" -> ping(file, Integer.parseInt(args[2]), Long.parseLong(args[3]) * 1000);
            case "serve" -> {
                SlotClient.attach(file, false).serve(args[2], request ->
                        java.util.concurrent.CompletableFuture.completedFuture(MeshEchoKind.echo("", request)));
                // serves until bench/mesh, which started it in the background, is gone (or kills it)
                ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().join());
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void pong(SlotFile file) {
        long lastWork = System.nanoTime();
        while (true) {
            int work = 0;
            for (int i = 0; i < file.capacity(); i++) {
                Slot slot = file.slot(i);
                if (slot.state() == SlotState.ACTIVE) {
                    work += slot.requests().read((type, data, index, length) -> {
                        MeshRecord.Call call = (MeshRecord.Call) RecordCodec.read(type, data, index, length);
                        RecordCodec.write(slot.replies(), new MeshRecord.Reply(call.id(), true, "b", call.payload()));
                        Wakeup.wake(slot.ownerWaiter());
                    }, 64);
                }
            }
            long now = System.nanoTime();
            if (work > 0) {
                lastWork = now;
            } else if (now - lastWork < MeshProxy.SPIN_NANOS) {
                Thread.onSpinWait();
            } else {
                Wakeup.sleep(file.doorbell(), () -> anyRequest(file), 100_000_000L);
            }
        }
    }

    private static boolean anyRequest(SlotFile file) {
        for (int i = 0; i < file.capacity(); i++) {
            if (file.slot(i).state() == SlotState.ACTIVE && file.slot(i).requests().hasRecord()) {
                return true;
            }
        }
        return false;
    }

    private static void ping(SlotFile file, int n, long gapNanos) throws Exception {
        Slot slot = SlotChild.claim(file);
        byte[] payload = new byte[32];
        long[] rtt = roundTrips(n, gapNanos, i -> {
            long spunUntil = System.nanoTime() + MeshProxy.SPIN_NANOS;
            RecordCodec.write(slot.requests(), new MeshRecord.Call(i, 0, "g", "", "", payload));
            file.bell().ring();
            while (slot.replies().read((type, data, index, length) -> { }, 1) == 0) {
                if (System.nanoTime() - spunUntil < 0) {
                    Thread.onSpinWait();
                } else {
                    Wakeup.sleep(slot.ownerWaiter(), slot.replies()::hasRecord, 100_000_000L);
                }
            }
        });
        slot.release(ProcessHandle.current().pid());
        System.out.println(percentiles(rtt));
    }

    /** One round trip of a bench, number {@code i} (negative while warming up). */
    interface Trip {
        void run(int i) throws Exception;
    }

    /**
     * The round-trip loop of every bench/mesh yardstick: {@code min(n, 20000)} warm-up trips, then
     * {@code n} timed ones, each after a pause of {@code gapNanos}; their times in nanoseconds.
     */
    static long[] roundTrips(int n, long gapNanos, Trip trip) throws Exception {
        long[] rtt = new long[n];
        for (int i = -Math.min(n, 20_000); i < n; i++) {
            if (gapNanos > 0) {
                LockSupport.parkNanos(gapNanos);
            }
            long start = System.nanoTime();
            trip.run(i);
            if (i >= 0) {
                rtt[i] = System.nanoTime() - start;
            }
        }
        return rtt;
    }

    /** "p50 p90 p99 p999" of the samples, in nanoseconds. */
    static String percentiles(long[] samples) {
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        return at(sorted, 0.50) + " " + at(sorted, 0.90) + " " + at(sorted, 0.99) + " " + at(sorted, 0.999);
    }

    private static long at(long[] sorted, double q) {
        return sorted[(int) Math.min(sorted.length - 1, Math.round(q * (sorted.length - 1)))];
    }
}
