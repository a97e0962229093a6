package dev.berth.testpeers;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * A real rspamd run offline by {@code peers/peer rspamd} from {@code peers/rspamd-local} in a
 * scratch directory: normal and controller workers on free loopback ports, the milter proxy
 * disabled, and as its only nameserver a loopback DNS stub in this JVM ({@link NxDomainStub},
 * one virtual thread) answering NXDOMAIN at once, so no query leaves the machine. Runs as root,
 * its workers as {@code _rspamd}; check {@link Peer#installed Peer.installed("rspamd")} to skip.
 *
 * <p>Ownership: the caller closes it; close stops the pid started (the main process stops its
 * workers) and the DNS stub. Threads: one test thread.
 */
public final class Rspamd implements AutoCloseable {

    /** How long {@link #start} waits for {@code /ping}: rspamd compiles its rules first. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Peer peer;
    private final NxDomainStub dns;
    private final int port;
    private final int controllerPort;

    private Rspamd(Peer peer, NxDomainStub dns, int port, int controllerPort) {
        this.peer = peer;
        this.dns = dns;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /**
     * Starts the DNS stub and rspamd in {@code dir} (created if missing) and waits (at most
     * {@link #START_TIMEOUT}) until the normal worker answers {@code GET /ping}. Blocks.
     *
     * @throws PeerException when rspamd exits or does not answer in time (it and the stub are
     *     stopped; the message carries its output and log)
     */
    public static Rspamd start(Path dir) {
        NxDomainStub dns = NxDomainStub.start();
        int normal = Peer.freePort();
        int controller = Peer.freePort();
        Rspamd rspamd;
        try {
            rspamd = new Rspamd(Peer.launch("rspamd", dir, normal, controller, dns.port()), dns, normal, controller);
        } catch (PeerException e) {
            dns.close();
            throw e;
        }
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            HttpRequest ping = HttpRequest.newBuilder(rspamd.url().resolve("/ping"))
                    .timeout(Duration.ofSeconds(2)).build();
            rspamd.peer.awaitReady("answering /ping on " + normal, START_TIMEOUT, () -> pong(client, ping));
        } catch (PeerException e) {
            dns.close();
            throw new PeerException(e.getMessage() + "\nlog: " + Peer.read(dir.resolve("log/rspamd.log")), e);
        }
        return rspamd;
    }

    private static boolean pong(HttpClient client, HttpRequest ping) {
        try {
            return client.send(ping, HttpResponse.BodyHandlers.ofString()).body().contains("pong");
        } catch (IOException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PeerException("interrupted while waiting for rspamd", e);
        }
    }

    /** The normal worker's base URL, {@code http://127.0.0.1:PORT}. */
    public URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** The normal worker's port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** The controller worker's port on 127.0.0.1 (password {@code q1}). */
    public int controllerPort() {
        return controllerPort;
    }

    /** The scratch directory. */
    public Path dir() {
        return peer.dir();
    }

    /** rspamd's log so far plus the launcher's output, for failure messages. */
    public String log() {
        return Peer.read(dir().resolve("log/rspamd.log")) + peer.output();
    }

    /** Stops rspamd by the pid started and the DNS stub. Idempotent; never throws. */
    @Override
    public void close() {
        try {
            peer.close();
        } finally {
            dns.close();
        }
    }

    /**
     * A UDP DNS server on 127.0.0.1 answering every query with NXDOMAIN (QR, RD copied, RA,
     * RCODE 3), on one virtual thread until closed.
     */
    static final class NxDomainStub implements AutoCloseable {

        private final DatagramSocket socket;

        private NxDomainStub(DatagramSocket socket) {
            this.socket = socket;
        }

        static NxDomainStub start() {
            try {
                DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                NxDomainStub stub = new NxDomainStub(socket);
                Thread.ofVirtual().name("nxdns-" + socket.getLocalPort()).start(stub::answer);
                return stub;
            } catch (IOException e) {
                throw new PeerException("cannot open the DNS stub", e);
            }
        }

        int port() {
            return socket.getLocalPort();
        }

        private void answer() {
            byte[] buffer = new byte[4096];
            while (!socket.isClosed()) {
                DatagramPacket query = new DatagramPacket(buffer, buffer.length);
                try {
                    socket.receive(query);
                    if (query.getLength() < 12) {
                        continue;
                    }
                    byte[] reply = Arrays.copyOf(buffer, query.getLength());
                    reply[2] = (byte) (0x80 | (buffer[2] & 0x01));
                    reply[3] = (byte) 0x83;
                    Arrays.fill(reply, 6, 12, (byte) 0);
                    socket.send(new DatagramPacket(reply, reply.length, query.getSocketAddress()));
                } catch (IOException e) {
                    return;
                }
            }
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
