package dev.berth.scan;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@code clamd} scanner: one connection per scan, TCP or Unix socket, clamd's INSTREAM
 * command.
 *
 * <pre>
 *   -> "zINSTREAM\0"
 *   -> [u32 big-endian length][data] ...   chunks of at most 64 KiB
 *   -> [00 00 00 00]                        end of stream
 *   <- "stream: OK\0" | "stream: &lt;name&gt; FOUND\0" | "&lt;text&gt; ERROR\0"
 * </pre>
 *
 * Past its {@code StreamMaxLength} clamd answers {@code INSTREAM size limit exceeded. ERROR} and
 * closes, so a later write fails (EPIPE or a reset); the scanner still reads that answer and
 * reports {@code Unavailable("size limit exceeded ...")}, which the {@code on-too-large} policy
 * judges. Every other failure (refused, reset, an ERROR reply, no reply) is an
 * {@link Verdict.Unavailable} judged by {@code on-unavailable}.
 *
 * <p>The timeout covers the whole exchange: a watchdog closes the channel when it expires, which
 * ends a blocked connect, write or read. Thread-safe: nothing is shared between scans but the
 * watchdog scheduler, which {@link #close()} stops. Blocking.
 */
final class ClamdScanner implements Scanner {

    /** The start of the reason of an unavailable verdict for a message past StreamMaxLength. */
    static final String TOO_LARGE = "size limit exceeded";

    private static final int CHUNK = 64 * 1024;
    private static final int MAX_REPLY = 4096;

    private final ClamdSettings settings;
    private final ScheduledExecutorService watchdog;

    ClamdScanner(ClamdSettings settings) {
        this.settings = settings;
        this.watchdog = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform()
                .name("clamd-timeout-" + settings.name()).daemon().factory());
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public Verdict scan(MessageContent message) {
        AtomicBoolean timedOut = new AtomicBoolean();
        SocketAddress target;
        try {
            target = settings.address().toSocketAddress();
        } catch (RuntimeException e) {
            return unavailable(describe(e));
        }
        try (SocketChannel channel = target instanceof UnixDomainSocketAddress
                ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open()) {
            ScheduledFuture<?> timer = watchdog.schedule(() -> expire(channel, timedOut),
                    settings.timeout().toNanos(), TimeUnit.NANOSECONDS);
            try {
                return exchange(channel, target, message);
            } finally {
                timer.cancel(false);
            }
        } catch (IOException | RuntimeException e) {
            return unavailable(timedOut.get() ? "timeout after " + Durations.text(settings.timeout()) : describe(e));
        }
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
    }

    private Verdict exchange(SocketChannel channel, SocketAddress target, MessageContent message) throws IOException {
        channel.connect(target);
        try {
            send(channel, message);
        } catch (IOException writeFailure) {
            // clamd may have answered before closing (size limit): the answer says why.
            try {
                String reply = readReply(channel);
                if (!reply.isEmpty()) {
                    return parse(reply);
                }
            } catch (IOException readFailure) {
                writeFailure.addSuppressed(readFailure);
            }
            throw writeFailure;
        }
        String reply = readReply(channel);
        return reply.isEmpty() ? unavailable("clamd closed without an answer") : parse(reply);
    }

    private static void send(SocketChannel channel, MessageContent message) throws IOException {
        writeFully(channel, ByteBuffer.wrap("zINSTREAM\0".getBytes(StandardCharsets.US_ASCII)));
        ByteBuffer chunk = ByteBuffer.allocate(4 + CHUNK);
        try (InputStream in = message.open()) {
            while (true) {
                int n = in.readNBytes(chunk.array(), 4, CHUNK);
                chunk.clear();
                chunk.putInt(0, n).limit(4 + n);
                writeFully(channel, chunk);
                if (n == 0) {
                    return;
                }
            }
        }
    }

    private static void writeFully(SocketChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    /** The reply up to its NUL (or the end of the stream), without the NUL; empty if none. */
    private static String readReply(SocketChannel channel) throws IOException {
        ByteBuffer reply = ByteBuffer.allocate(MAX_REPLY);
        while (reply.hasRemaining()) {
            int start = reply.position();
            if (channel.read(reply) < 0) {
                break;
            }
            for (int i = start; i < reply.position(); i++) {
                if (reply.get(i) == 0) {
                    return new String(reply.array(), 0, i, StandardCharsets.US_ASCII).strip();
                }
            }
        }
        return new String(reply.array(), 0, reply.position(), StandardCharsets.US_ASCII).strip();
    }

    /** Reads {@code stream: OK}, {@code stream: NAME FOUND} or {@code ... ERROR}. */
    Verdict parse(String reply) {
        String text = reply.startsWith("stream:") ? reply.substring("stream:".length()).strip() : reply;
        if (text.equals("OK")) {
            return new Verdict.Clean(name());
        }
        if (text.endsWith(" FOUND")) {
            return new Verdict.Infected(name(), text.substring(0, text.length() - " FOUND".length()).strip());
        }
        if (text.contains("size limit exceeded")) {
            return unavailable(TOO_LARGE + " (clamd: " + ScanReport.headerSafe(reply) + ")");
        }
        return unavailable("clamd: " + ScanReport.headerSafe(reply));
    }

    private Verdict.Unavailable unavailable(String reason) {
        return new Verdict.Unavailable(name(), reason);
    }

    private String describe(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return "clamd at " + settings.address() + ": " + message;
    }

    private static void expire(SocketChannel channel, AtomicBoolean timedOut) {
        timedOut.set(true);
        try {
            channel.close();
        } catch (IOException e) {
            // Closing to unblock the scan; the scan reports the timeout.
        }
    }
}
