package dev.berth.testpeers;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * A real clamd with only the repository's custom test signatures ({@code peers/custom.ndb},
 * {@code custom.hdb}: EICAR and friends), started by {@code peers/peer clamd} in a scratch
 * directory, on a free loopback TCP port and the Unix socket {@code DIR/clamd.sock}. Runs as root
 * ({@code User root}); check {@link Peer#installed Peer.installed("clamd")} to skip.
 *
 * <p>Ownership: the caller closes it; close stops the pid started. Threads: one test thread.
 */
public final class Clamd implements AutoCloseable {

    /** The EICAR test string, which the custom signatures detect as {@code Eicar-Test-Signature}. */
    public static final String EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

    /**
     * A whole RFC 5322 message (CRLF line ends) with {@link #EICAR} in a base64 attachment of a
     * multipart/mixed body: what every scanner must find after MIME decoding.
     *
     * @param headers the header lines above the MIME headers, each ending in CRLF (From, Subject, ...)
     */
    public static String infectedMessage(String headers) {
        return headers + "MIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
                + "--b1\r\nContent-Type: text/plain\r\n\r\nsee attachment\r\n"
                + "--b1\r\nContent-Type: application/octet-stream; name=\"eicar.com\"\r\n"
                + "Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"eicar.com\"\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(EICAR.getBytes(StandardCharsets.US_ASCII)) + "\r\n"
                + "--b1--\r\n";
    }

    /** clamd's own default stream limit, as {@code peers/clamd.conf} sets it: 25 MiB. */
    public static final String DEFAULT_STREAM_MAX = "26214400";

    private final Peer peer;
    private final int port;

    private Clamd(Peer peer, int port) {
        this.peer = peer;
        this.port = port;
    }

    /** Starts clamd in {@code dir} with the default stream limit; see {@link #start(Path, String)}. */
    public static Clamd start(Path dir) {
        return start(dir, DEFAULT_STREAM_MAX);
    }

    /**
     * Starts clamd in {@code dir} (created if missing) with {@code StreamMaxLength streamMax} (clamd
     * syntax: {@code "1M"}, {@code "26214400"}) and waits (at most 60 s, the signatures load first)
     * until both the TCP port and the Unix socket accept. Blocks.
     *
     * @throws PeerException when clamd exits or is not ready in time (it is stopped; the message
     *     carries its output and log)
     */
    public static Clamd start(Path dir, String streamMax) {
        int port = Peer.freePort();
        Peer peer = Peer.launch("clamd", dir, port, streamMax);
        Path socket = dir.resolve("clamd.sock");
        try {
            peer.awaitReady("listening on " + port + " and " + socket, Peer.START_TIMEOUT,
                    () -> Files.exists(socket) && Peer.accepts(port));
        } catch (PeerException e) {
            throw new PeerException(e.getMessage() + "\nlog: " + Peer.read(dir.resolve("clamd.log")), e);
        }
        return new Clamd(peer, port);
    }

    /** The TCP port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** The Unix socket, {@code DIR/clamd.sock}. */
    public Path socket() {
        return peer.dir().resolve("clamd.sock");
    }

    /** The scratch directory. */
    public Path dir() {
        return peer.dir();
    }

    /** clamd's log so far plus the launcher's output, for failure messages. */
    public String log() {
        return Peer.read(dir().resolve("clamd.log")) + peer.output();
    }

    /** Stops clamd by the pid started (SIGTERM, SIGKILL after 15 s). Idempotent; never throws. */
    @Override
    public void close() {
        peer.close();
    }
}
