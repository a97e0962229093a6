package dev.berth.master;

import dev.berth.control.ControlChannel;
import dev.berth.control.ControlMessage;
import dev.berth.posix.FileDescriptors;
import dev.berth.posix.PeerCredentials;
import dev.berth.posix.Poll;
import dev.berth.posix.SeqpacketServer;
import dev.berth.posix.SeqpacketSocket;
import dev.berth.posix.WakeFd;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.LongPredicate;
import java.util.function.LongSupplier;

/**
 * Admits control connections on {@code run/worker.sock}, on one platform thread ("control-accept")
 * that owns the listening socket and every connection not admitted yet, and that waits only in
 * poll(2): accepting is non-blocking, and a Hello is read once poll says it is there, in one packet
 * of at most {@value #MAX_HELLO} bytes.
 *
 * <pre>
 *  accept ── SO_PEERCRED pid awaited? ── no ──&gt; closed at once (counted; logged at most every 5 s)
 *                 │ yes (at most {@value #MAX_PENDING} at a time)
 *                 ▼
 *              pending ── Hello within {@value #HELLO_TIMEOUT_MS} ms ──&gt; admitted (to the ControlServer)
 *                 └── silence, end of stream, anything else ─────────&gt; closed
 * </pre>
 *
 * <p>A round waits in poll(2) for up to {@value #POLL_MS} ms while connections are pending or
 * refusals are to be reported, and up to {@value #IDLE_POLL_MS} ms otherwise; {@link #close} wakes
 * it through an eventfd, so an idle master does not wake four times a second for this thread.
 *
 * <p>An awaited pid is a child the master started that has not attached yet (the kernel records a
 * connection's pid at connect; a process cannot claim another's). So another process of the
 * workers' user costs the master one accept and one close per connection: no thread, no buffer,
 * nothing kept. Failures of accept (EMFILE, ENFILE, ENOBUFS) and any Error (an OutOfMemoryError)
 * are logged and waited out for {@value #PAUSE_MS} ms; the loop ends only at {@link #close}.
 */
final class ControlAdmission implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ControlAdmission.class.getName());
    static final long HELLO_TIMEOUT_MS = 5_000;
    static final int MAX_PENDING = 64;
    static final int MAX_HELLO = 1024;
    static final long PAUSE_MS = 100;
    private static final int POLL_MS = 250;
    /** The longest wait of a round with nothing pending and nothing to report; {@link #close} wakes it sooner. */
    static final int IDLE_POLL_MS = 5_000;
    private static final int ACCEPTS_PER_ROUND = 256;
    private static final long REPORT_EVERY_MS = 5_000;
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(5);

    private record Pending(SeqpacketSocket socket, PeerCredentials peer, long deadline) {
    }

    private final SeqpacketServer server;
    private final LongPredicate awaited;
    private final LongSupplier clock;
    private final BiConsumer<ControlChannel, ControlMessage.Hello> admitted;
    private final List<Pending> pending = new ArrayList<>();
    private final Thread thread;
    private final WakeFd wake = WakeFd.create();
    private volatile boolean closed;
    private long acceptAgainAt = Long.MIN_VALUE;
    private long refused;
    private PeerCredentials lastRefused;
    private long lastReport = Long.MIN_VALUE / 2;
    private long lastFailureReport = Long.MIN_VALUE / 2;

    /**
     * Takes the listening socket and starts the admission thread.
     *
     * @param awaited whether a pid is a child the master awaits; thread-safe
     * @param clock monotonic milliseconds
     * @param admitted given each admitted connection (its sends time out after 5 s) and its Hello,
     *     on the admission thread; must not block
     */
    ControlAdmission(SeqpacketServer server, LongPredicate awaited, LongSupplier clock,
                     BiConsumer<ControlChannel, ControlMessage.Hello> admitted) {
        this.server = server;
        this.awaited = awaited;
        this.clock = clock;
        this.admitted = admitted;
        FileDescriptors.blocking(server.fd(), false);
        this.thread = Thread.ofPlatform().daemon().name("control-accept").start(this::run);
    }

    Path path() {
        return server.path();
    }

    private void run() {
        try {
            while (!closed) {
                try {
                    round();
                } catch (Throwable e) {
                    failed(e);
                }
            }
        } finally {
            pending.forEach(p -> p.socket().close());
            pending.clear();
            server.close();
            wake.close();
        }
    }

    private void round() {
        long now = clock.getAsLong();
        boolean accepting = now >= acceptAgainAt;
        List<Pending> waiting = List.copyOf(pending);
        int first = accepting ? 2 : 1;
        int[] fds = new int[first + waiting.size()];
        fds[0] = wake.fd();
        if (accepting) {
            fds[1] = server.fd();
        }
        long longest = waiting.isEmpty() && refused == 0 ? IDLE_POLL_MS : POLL_MS;
        long timeout = accepting ? longest : Math.min(longest, acceptAgainAt - now);
        for (int i = 0; i < waiting.size(); i++) {
            fds[first + i] = waiting.get(i).socket().fd();
            timeout = Math.min(timeout, waiting.get(i).deadline() - now);
        }
        boolean[] readable = Poll.readable(fds, (int) Math.max(1, timeout));
        if (accepting && readable[1]) {
            acceptSome();
        }
        for (int i = 0; i < waiting.size(); i++) {
            if (readable[first + i]) {
                pending.remove(waiting.get(i));
                readHello(waiting.get(i));
            }
        }
        expire(clock.getAsLong());
        report(clock.getAsLong());
    }

    private void acceptSome() {
        for (int i = 0; i < ACCEPTS_PER_ROUND && !closed; i++) {
            Optional<SeqpacketSocket> accepted = server.accept();
            if (accepted.isEmpty()) {
                return;
            }
            consider(accepted.get());
        }
    }

    private void consider(SeqpacketSocket socket) {
        try {
            PeerCredentials peer = socket.peer();
            if (!awaited.test(peer.pid()) || pending.size() >= MAX_PENDING) {
                socket.close();
                refused++;
                lastRefused = peer;
                return;
            }
            pending.add(new Pending(socket, peer, clock.getAsLong() + HELLO_TIMEOUT_MS));
        } catch (Throwable e) {
            socket.close();
            throw e;
        }
    }

    /** Reads the Hello of a readable pending connection; hands it over or closes it, whatever is thrown. */
    private void readHello(Pending p) {
        boolean handedOver = false;
        try {
            ControlChannel channel = new ControlChannel(p.socket());
            Optional<ControlChannel.Received> received = channel.receive(MAX_HELLO);
            if (received.isPresent() && received.get().message() instanceof ControlMessage.Hello hello
                    && received.get().fds().length == 0) {
                p.socket().sendTimeout(SEND_TIMEOUT);
                handedOver = true;
                admitted.accept(channel, hello);
                return;
            }
            received.ifPresent(r -> FileDescriptors.closeAll(r.fds()));
            LOG.log(Level.WARNING, "closing the control connection of pid " + p.peer().pid()
                    + ": it did not open with Hello");
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "closing the control connection of pid " + p.peer().pid() + ": " + e.getMessage());
        } finally {
            // an Error (OutOfMemoryError; a class whose first use fails while descriptors are
            // exhausted) must not leak the connection: run() pauses and goes on without it
            if (!handedOver) {
                p.socket().close();
            }
        }
    }

    private void expire(long now) {
        pending.removeIf(p -> {
            if (now < p.deadline()) {
                return false;
            }
            LOG.log(Level.WARNING, "closing the control connection of pid " + p.peer().pid() + ": no Hello in "
                    + HELLO_TIMEOUT_MS + " ms");
            p.socket().close();
            return true;
        });
    }

    private void report(long now) {
        if (refused > 0 && now - lastReport >= REPORT_EVERY_MS) {
            LOG.log(Level.WARNING, "refused " + refused + " control connection(s) from processes the master did"
                    + " not start or does not await (last: pid " + lastRefused.pid() + ", uid " + lastRefused.uid() + ")");
            refused = 0;
            lastReport = now;
        }
    }

    /** Accept failed (EMFILE...) or an Error (OutOfMemoryError) struck: say so now and then, pause, go on. */
    private void failed(Throwable e) {
        long now = clock.getAsLong();
        acceptAgainAt = now + PAUSE_MS;
        if (now - lastFailureReport >= REPORT_EVERY_MS) {
            lastFailureReport = now;
            try {
                LOG.log(Level.ERROR, "control socket: " + e + "; pausing accept for " + PAUSE_MS + " ms");
            } catch (Throwable ignored) {
                // no room even to log (OutOfMemoryError): the pause still applies
            }
        }
    }

    /** Stops the admission thread, which closes what it owns; waits up to a second for it. */
    @Override
    public void close() {
        closed = true;
        wake.wake();
        try {
            thread.join(Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.log(Level.WARNING, "control admission did not stop within a second");
        }
    }
}
