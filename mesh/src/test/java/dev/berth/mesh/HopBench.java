package dev.berth.mesh;

import dev.berth.config.MeshConfig;
import dev.berth.testpeers.Await;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * bench/mesh, the network leg and the throughput, with proxies in this JVM:
 * <ul>
 *   <li>{@code hop N GAP_US [get]}: a call from a process on node a to an echo worker on node b (slot,
 *       proxy a, HTTP/2, proxy b, slot, and back) against a direct TCP echo round trip on loopback;
 *       prints {@code mesh p50 p90 p99 p999} and {@code tcp p50 p90 p99 p999} in nanoseconds. With
 *       GAP_US 0 each call starts in the callback of the one before, on the slot client's reader
 *       ({@link Chain}), as an asynchronous caller does; with {@code get}, or a gap, a thread blocks
 *       in {@code get()} for each reply, and the reader has to wake it;
 *   <li>{@code calls SECONDS}: 8 caller slots with 32 calls in flight each, to a group served by two
 *       echo worker slots of the same node, through one proxy; prints answered calls/s and the CPU the
 *       proxy's threads used (event loop, deadline timer) in core-seconds per second.
 * </ul>
 * {@code -Dawake=MICROS} sets the proxies' {@code mesh.awake} (default 50).
 */
public final class HopBench {

    private static final long WARM_UP_CALLS = 5_000;
    private static final Duration DEADLINE = Duration.ofSeconds(5);

    private HopBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("berth-mesh-bench");
        switch (args[0]) {
            case "hop" -> hop(dir, Integer.parseInt(args[1]), Long.parseLong(args[2]) * 1000,
                    args.length > 3 && args[3].equals("get"));
            case "calls" -> calls(dir, Integer.parseInt(args[1]));
            default -> throw new IllegalArgumentException(args[0]);
        }
        System.exit(0);
    }

    /** The proxies' {@code mesh.awake}: {@code -Dawake=MICROS}, or the default. */
    private static Duration awake() {
        return Duration.ofNanos(1_000L * Long.getLong("awake", MeshConfig.DEFAULT_AWAKE.toNanos() / 1_000));
    }

    private static void hop(Path dir, int n, long gap, boolean blocking) throws Exception {
        try (Nodes nodes = new Nodes(dir, List.of("a", "b"), Nodes.groups(
                new MeshConfig.Group("echo", MeshConfig.Mode.NORMAL, List.of("b"), Map.of())))) {
            nodes.awake = awake();
            nodes.startAll();
            nodes.serveEcho("b", "echo");
            while (!nodes.sees("a", "b")) {
                LockSupport.parkNanos(10_000_000);
            }
            Mesh caller = nodes.attach("a");
            byte[] payload = new byte[32];
            long[] rtt = blocking || gap > 0
                    ? SlotBench.roundTrips(n, gap, i -> caller.call("echo", "", "", payload, DEADLINE).get())
                    : Chain.trips(n, () -> caller.call("echo", "", "", payload, DEADLINE));
            System.out.println("mesh " + SlotBench.percentiles(rtt));
        }
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    TcpBench.echo(server.accept());
                } catch (java.io.IOException e) {
                    // closed
                }
            });
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                System.out.println("tcp " + SlotBench.percentiles(TcpBench.roundTrips(s, n, gap)));
            }
        }
    }

    private static void calls(Path dir, int seconds) throws Exception {
        try (Nodes nodes = new Nodes(dir, List.of("a"), Nodes.groups(
                new MeshConfig.Group("echo", MeshConfig.Mode.NORMAL, List.of("a"), Map.of())))) {
            nodes.awake = awake();
            nodes.startAll();
            nodes.serveEcho("a", "echo");
            nodes.serveEcho("a", "echo");
            LongAdder done = new LongAdder();
            long until = System.nanoTime() + Duration.ofSeconds(seconds + 2).toNanos();
            List<Thread> callers = new java.util.ArrayList<>();
            for (int c = 0; c < 6; c++) {
                Mesh caller = nodes.attach("a");
                callers.add(Thread.ofPlatform().start(() -> load(caller, done, until)));
            }
            // warmed up once the callers have made WARM_UP_CALLS; measured until they stop at `until`
            Await.require(WARM_UP_CALLS + " warm-up calls", Duration.ofSeconds(30), () -> done.sum() >= WARM_UP_CALLS);
            long cpu0 = proxyCpu();
            long calls0 = done.sum();
            long t0 = System.nanoTime();
            for (Thread t : callers) {
                t.join();
            }
            long cpu = proxyCpu() - cpu0;
            long calls = done.sum() - calls0;
            double wall = (System.nanoTime() - t0) / 1e9;
            System.out.printf("calls %.0f %.3f%n", calls / wall, cpu / 1e9 / wall);
        }
    }

    private static void load(Mesh caller, LongAdder done, long until) {
        Semaphore window = new Semaphore(32);
        byte[] payload = new byte[32];
        while (System.nanoTime() < until) {
            window.acquireUninterruptibly();
            caller.call("echo", "", "", payload, DEADLINE).whenComplete((r, e) -> {
                if (e == null) {
                    done.increment();
                }
                window.release();
            });
        }
        window.acquireUninterruptibly(32);
    }

    /** CPU nanoseconds of the proxy's threads: the event loops (which read the slots), the deadline timer. */
    private static long proxyCpu() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (ThreadInfo info : mx.dumpAllThreads(false, false)) {
            String name = info.getThreadName();
            if (name.startsWith("multiThreadIoEventLoopGroup")
                    || name.equals("berth-mesh-deadlines")) {
                total += Math.max(0, mx.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }
}
