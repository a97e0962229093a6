package dev.berth.scan;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real rspamd (/usr/bin/rspamd) run offline in a temporary directory, after the recipe in
 * peers/rspamd-local: the local.d/override.d files with every port chosen free at run time, the
 * milter proxy disabled, and a loopback DNS stub (in this JVM) answering NXDOMAIN at once so that
 * no query leaves the machine. Runs as root, its workers as {@code _rspamd}. {@link #close()}
 * stops exactly the process it started (the main process stops its workers).
 */
final class RspamdPeer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    final URI url;
    private final Process process;
    private final DatagramSocket dns;

    private RspamdPeer(URI url, Process process, DatagramSocket dns) {
        this.url = url;
        this.process = process;
        this.dns = dns;
    }

    /** Starts rspamd in {@code dir} and waits (bounded) until {@code /ping} answers. */
    static RspamdPeer start(Path dir) throws IOException, InterruptedException {
        DatagramSocket dns = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread.ofVirtual().name("nxdns").start(() -> answerNxdomain(dns));
        int normal = ClamdPeer.freePort();
        int controller = ClamdPeer.freePort();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path etc = dir.resolve("etc");
        Files.createDirectories(etc.resolve("local.d"));
        Files.createDirectories(etc.resolve("override.d"));
        for (String sub : List.of("db", "run", "log")) {
            Path path = Files.createDirectories(dir.resolve(sub));
            Files.setOwner(path, path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("_rspamd"));
        }
        Files.writeString(etc.resolve("local.d/options.inc"), "dns { nameserver = [\"127.0.0.1:" + dns.getLocalPort()
                + "\"]; timeout = 0.2s; retransmits = 1; }\n");
        Files.writeString(etc.resolve("override.d/logging.inc"),
                "type = \"file\"; filename = \"" + dir.resolve("log/rspamd.log") + "\"; level = \"info\";\n");
        Files.writeString(etc.resolve("override.d/worker-normal.inc"), "bind_socket = \"127.0.0.1:" + normal + "\"; count = 1;\n");
        Files.writeString(etc.resolve("override.d/worker-controller.inc"), "bind_socket = \"127.0.0.1:" + controller
                + "\"; count = 1; password = \"q1\"; secure_ip = \"127.0.0.1\";\n");
        Files.writeString(etc.resolve("override.d/worker-proxy.inc"), "enabled = false;\n");
        Process process = new ProcessBuilder("/usr/bin/rspamd", "-f", "-u", "_rspamd", "-g", "_rspamd",
                "--var=LOCAL_CONFDIR=" + etc, "--var=DBDIR=" + dir.resolve("db"), "--var=RUNDIR=" + dir.resolve("run"),
                "--var=LOGDIR=" + dir.resolve("log"), "-p", dir.resolve("run/rspamd.pid").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("rspamd.out").toFile())
                .start();
        RspamdPeer peer = new RspamdPeer(URI.create("http://127.0.0.1:" + normal), process, dns);
        try {
            peer.awaitReady(dir);
        } catch (IOException | RuntimeException | InterruptedException e) {
            peer.close();
            throw e;
        }
        return peer;
    }

    private void awaitReady(Path dir) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
            HttpRequest ping = HttpRequest.newBuilder(url.resolve("/ping")).timeout(Duration.ofSeconds(2)).build();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IOException("rspamd exited with " + process.exitValue() + ": " + Files.readString(dir.resolve("rspamd.out")));
                }
                try {
                    if (client.send(ping, HttpResponse.BodyHandlers.ofString()).body().contains("pong")) {
                        return;
                    }
                } catch (IOException notYet) {
                    process.waitFor(200, TimeUnit.MILLISECONDS);
                }
            }
        }
        throw new IOException("rspamd did not answer /ping within " + START_TIMEOUT);
    }

    /** Stops the rspamd this peer started (SIGTERM, then SIGKILL after 10 s) and the DNS stub. */
    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void stop() throws InterruptedException {
        dns.close();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Answers every query with NXDOMAIN (QR, RD copied, RA, RCODE 3), until the socket closes. */
    private static void answerNxdomain(DatagramSocket socket) {
        byte[] buffer = new byte[4096];
        while (!socket.isClosed()) {
            DatagramPacket query = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(query);
                if (query.getLength() < 12) {
                    continue;
                }
                byte[] reply = java.util.Arrays.copyOf(buffer, query.getLength());
                reply[2] = (byte) (0x80 | (buffer[2] & 0x01));
                reply[3] = (byte) 0x83;
                java.util.Arrays.fill(reply, 6, 12, (byte) 0);
                socket.send(new DatagramPacket(reply, reply.length, query.getSocketAddress()));
            } catch (IOException e) {
                return;
            }
        }
    }
}
