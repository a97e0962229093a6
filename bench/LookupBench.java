// The cost of finding the owner of a loopback peer (DESIGN.md §7, docs/adr/0013): berth's exact
// NETLINK_SOCK_DIAG lookup against the two /proc ways of answering the same question.
//
//   java --enable-native-access=ALL-UNNAMED -cp dist/target/berth.jar bench/LookupBench.java [CONNECTIONS] [ROUNDS]
//
// It opens CONNECTIONS (default 200) loopback connections to itself, so the host has at least that
// many more sockets, then times, per lookup of a random connection's client end:
//   sock_diag   one exact request/reply for the 4-tuple (what the dispatcher does)
//   proc-net    parse /proc/net/tcp for the 4-tuple: the uid and inode
//   proc-fd     the same, then readlink every /proc/PID/fd/N on the host to find the process
// and prints one JSON line with the medians and 99th percentiles in microseconds.
import dev.berth.posix.SockDiag;
import dev.berth.posix.SocketOwner;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

public class LookupBench {

    record Pair(Socket client, Socket accepted) {
    }

    public static void main(String[] args) throws Exception {
        int connections = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        List<Pair> pairs = new ArrayList<>();
        try (ServerSocket server = new ServerSocket(0, connections, InetAddress.getLoopbackAddress());
             SockDiag diag = SockDiag.open(Duration.ofSeconds(1))) {
            for (int i = 0; i < connections; i++) {
                Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                pairs.add(new Pair(client, server.accept()));
            }
            Random random = new Random(7);
            long[] diagNs = time(rounds, random, pairs, p -> diag.owner(peer(p), local(p)).map(SocketOwner::inode).orElse(-1L));
            long[] netNs = time(Math.max(50, rounds / 10), random, pairs, p -> procNetTcp(peer(p), local(p)));
            long[] fdNs = time(Math.max(10, rounds / 100), random, pairs, p -> procFd(procNetTcp(peer(p), local(p))));
            int sockets = Files.readAllLines(Path.of("/proc/net/tcp")).size() - 1;
            System.out.printf(Locale.ROOT, "JSON {\"sockets\":%d,\"processes\":%d,\"sock_diag\":%s,\"proc_net\":%s,\"proc_fd\":%s}%n",
                    sockets, processes(), json(diagNs), json(netNs), json(fdNs));
        } finally {
            for (Pair p : pairs) {
                p.client().close();
                p.accepted().close();
            }
        }
    }

    interface Lookup {
        long find(Pair pair) throws IOException;
    }

    static InetSocketAddress peer(Pair p) {
        return (InetSocketAddress) p.accepted().getRemoteSocketAddress();
    }

    static InetSocketAddress local(Pair p) {
        return (InetSocketAddress) p.accepted().getLocalSocketAddress();
    }

    static long[] time(int rounds, Random random, List<Pair> pairs, Lookup lookup) throws IOException {
        for (int i = 0; i < Math.min(rounds, 200); i++) {
            check(lookup.find(pairs.get(random.nextInt(pairs.size()))));
        }
        long[] ns = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            Pair pair = pairs.get(random.nextInt(pairs.size()));
            long start = System.nanoTime();
            long found = lookup.find(pair);
            ns[i] = System.nanoTime() - start;
            check(found);
        }
        Arrays.sort(ns);
        return ns;
    }

    static void check(long found) {
        if (found < 0) {
            throw new IllegalStateException("a lookup found nothing");
        }
    }

    /** The inode of the socket bound to {@code local} and connected to {@code remote}, from /proc/net/tcp. */
    static long procNetTcp(InetSocketAddress local, InetSocketAddress remote) throws IOException {
        String want = hex(local) + " " + hex(remote);
        try (var lines = Files.lines(Path.of("/proc/net/tcp"))) {
            return lines.skip(1).map(String::trim).filter(l -> l.substring(l.indexOf(':') + 2).startsWith(want))
                    .mapToLong(l -> Long.parseLong(l.split("\\s+")[9])).findFirst().orElse(-1);
        }
    }

    static String hex(InetSocketAddress a) {
        byte[] b = a.getAddress().getAddress();
        return String.format(Locale.ROOT, "%02X%02X%02X%02X:%04X", b[3], b[2], b[1], b[0], a.getPort());
    }

    /** The pid holding socket {@code inode}: readlink of every descriptor of every process. */
    static long procFd(long inode) throws IOException {
        String wanted = "socket:[" + inode + "]";
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
                    for (Path fd : fds) {
                        try {
                            if (Files.readSymbolicLink(fd).toString().equals(wanted)) {
                                return Long.parseLong(proc.getFileName().toString());
                            }
                        } catch (IOException e) {
                            // closed meanwhile
                        }
                    }
                } catch (IOException e) {
                    // exited meanwhile
                }
            }
        }
        return -1;
    }

    static long processes() throws IOException {
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            long n = 0;
            for (Path ignored : procs) {
                n++;
            }
            return n;
        }
    }

    static String json(long[] sorted) {
        return String.format(Locale.ROOT, "{\"n\":%d,\"p50_us\":%.1f,\"p99_us\":%.1f}", sorted.length,
                sorted[sorted.length / 2] / 1000.0, sorted[(int) Math.min(sorted.length - 1, sorted.length * 0.99)] / 1000.0);
    }
}
