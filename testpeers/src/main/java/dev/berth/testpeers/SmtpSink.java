package dev.berth.testpeers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * Postfix's {@code smtp-sink} started by {@code peers/peer sink} in a scratch directory on a free
 * loopback port: it accepts every message (ESMTP, PIPELINING, BDAT) and writes each to its own
 * file under {@code DIR/sink/}, with {@code X-Mail-From}/{@code X-Rcpt-Args} lines in front. As
 * root it runs as {@code nobody}. Check {@link Peer#installed Peer.installed("smtp-sink")} to skip.
 *
 * <p>Ownership: the caller closes it; close stops the pid started. Threads: one test thread;
 * {@link #messages()} may be called from any thread.
 */
public final class SmtpSink implements AutoCloseable {

    private final Peer peer;
    private final int port;

    private SmtpSink(Peer peer, int port) {
        this.peer = peer;
        this.port = port;
    }

    /**
     * Starts smtp-sink in {@code dir} (created if missing) and waits (at most 60 s) until it
     * accepts. Blocks.
     *
     * @throws PeerException when it exits or does not listen in time (with its output)
     */
    public static SmtpSink start(Path dir) {
        int port = Peer.freePort();
        return new SmtpSink(Peer.start("sink", dir, port, port), port);
    }

    /** The SMTP port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** The directory the sink writes one file per message into, {@code DIR/sink}. */
    public Path messageDir() {
        return peer.dir().resolve("sink");
    }

    /** The message files written so far, in name order. Blocks briefly to list the directory. */
    public List<Path> messages() {
        try (Stream<Path> files = Files.list(messageDir())) {
            return files.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits (polling every 20 ms, at most {@code timeout}) until at least {@code count} messages
     * are written, and returns them. Blocks.
     *
     * @throws PeerException when fewer arrived in time
     */
    public List<Path> awaitMessages(int count, Duration timeout) {
        if (!Await.until(timeout, Await.INTERVAL, () -> messages().size() >= count)) {
            throw new PeerException("smtp-sink got " + messages().size() + " of " + count + " messages within "
                    + timeout);
        }
        return messages();
    }

    /** The sink's output so far, for failure messages. */
    public String log() {
        return peer.output();
    }

    /** Stops smtp-sink by the pid started. Idempotent; never throws. */
    @Override
    public void close() {
        peer.close();
    }
}
