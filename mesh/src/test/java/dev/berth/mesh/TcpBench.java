package dev.berth.mesh;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * bench/mesh: the loopback TCP round trip (TCP_NODELAY, blocking sockets, 32 bytes): {@code pong
 * PORTFILE} echoes, {@code ping PORTFILE N GAP_US} measures like {@link SlotBench}.
 */
public final class TcpBench {

    private TcpBench() {
    }

    public static void main(String[] args) throws Exception {
        Path portFile = Path.of(args[1]);
        if (args[0].equals("pong")) {
            try (ServerSocket server = new ServerSocket()) {
                server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                Files.writeString(portFile, Integer.toString(server.getLocalPort()));
                while (true) {
                    Socket s = server.accept();
                    Thread.ofPlatform().start(() -> echo(s));
                }
            }
        }
        int n = Integer.parseInt(args[2]);
        long gap = Long.parseLong(args[3]) * 1000;
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(Files.readString(portFile).trim()))) {
            System.out.println(SlotBench.percentiles(roundTrips(s, n, gap)));
        }
    }

    /** N round trips of 32 bytes on a connected socket after a warm-up, each after a pause of {@code gap} ns. */
    static long[] roundTrips(Socket s, int n, long gap) throws Exception {
        s.setTcpNoDelay(true);
        DataInputStream in = new DataInputStream(s.getInputStream());
        OutputStream out = s.getOutputStream();
        byte[] buf = new byte[32];
        return SlotBench.roundTrips(n, gap, i -> {
            out.write(buf);
            in.readFully(buf);
        });
    }

    /** Echoes 32-byte messages until the peer closes. */
    static void echo(Socket s) {
        try (s) {
            s.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[32];
            while (true) {
                in.readFully(buf);
                out.write(buf);
            }
        } catch (java.io.IOException e) {
            // the peer closed
        }
    }
}
