package dev.berth.mesh;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import org.agrona.BufferUtil;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * bench/mesh's yardstick: Aeron IPC ping-pong between two processes through a media driver in
 * {@code AERON_DIR} (started by the script), 32-byte messages on {@code aeron:ipc} streams 1001
 * (ping) and 1002 (pong). {@code pong AERON_DIR spin|backoff} echoes every message, idling with
 * Agrona's busy spin or its default back-off (spin, yield, then park up to 1 ms); {@code ping
 * AERON_DIR N GAP_US} measures like {@link SlotBench} (the ping side busy-spins for the reply) and
 * prints {@code p50 p90 p99 p999} in nanoseconds.
 */
public final class AeronBench {

    private static final String CHANNEL = "aeron:ipc";
    private static final int PING_STREAM = 1001;
    private static final int PONG_STREAM = 1002;

    private AeronBench() {
    }

    public static void main(String[] args) throws Exception {
        Aeron.Context context = new Aeron.Context().aeronDirectoryName(args[1]);
        try (Aeron aeron = Aeron.connect(context)) {
            if (args[0].equals("pong")) {
                pong(aeron, args[2].equals("spin") ? new BusySpinIdleStrategy() : new BackoffIdleStrategy());
            } else {
                System.out.println(SlotBench.percentiles(ping(aeron, Integer.parseInt(args[2]),
                        Long.parseLong(args[3]) * 1000)));
            }
        }
    }

    private static void pong(Aeron aeron, IdleStrategy idle) {
        try (Subscription in = aeron.addSubscription(CHANNEL, PING_STREAM);
             Publication out = aeron.addExclusivePublication(CHANNEL, PONG_STREAM)) {
            FragmentAssembler echo = new FragmentAssembler((buffer, offset, length, header) -> {
                while (out.offer(buffer, offset, length) < 0) {
                    Thread.onSpinWait();
                }
            });
            while (true) {
                idle.idle(in.poll(echo, 16));
            }
        }
    }

    private static long[] ping(Aeron aeron, int n, long gapNanos) throws Exception {
        try (Publication out = aeron.addExclusivePublication(CHANNEL, PING_STREAM);
             Subscription in = aeron.addSubscription(CHANNEL, PONG_STREAM)) {
            while (!out.isConnected() || !in.isConnected()) {
                Thread.onSpinWait();
            }
            UnsafeBuffer message = new UnsafeBuffer(BufferUtil.allocateDirectAligned(64, 64));
            int[] replies = new int[1];
            FragmentAssembler count = new FragmentAssembler((buffer, offset, length, header) -> replies[0]++);
            long[] rtt = SlotBench.roundTrips(n, gapNanos, i -> {
                while (out.offer(message, 0, 32) < 0) {
                    Thread.onSpinWait();
                }
                while (replies[0] == 0) {
                    in.poll(count, 1);
                }
                replies[0] = 0;
            });
            return rtt;
        }
    }
}
