package dev.berth.tenancy;

import dev.berth.posix.FileDescriptors;
import dev.berth.posix.TcpConnections;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Refuses connections in their protocol's terms (DESIGN.md §7: never a silent close): writes the
 * refusal without waiting, ends the sending side, and lingers before closing, reading and dropping
 * what the client sends until it closes too (at most {@value #LINGER_MS} ms), as nginx's lingering
 * close does: closing with unread data would reset the connection and could destroy the refusal
 * before the client read it (an HTTP client has sent its request by then).
 *
 * <p>{@link #refuse} is called from classifying threads and never blocks; one daemon thread
 * ("refusals") polls the lingering connections every {@value #POLL_MS} ms. At most {@value
 * #MAX_LINGERING} linger at once; beyond that a refused connection is closed at once. Owns the
 * descriptors given to it.
 */
public final class Refusals implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Refusals.class.getName());
    static final long LINGER_MS = 2_000;
    static final long POLL_MS = 50;
    static final int MAX_LINGERING = 256;

    private record Lingering(int fd, long until) {
    }

    private final ConcurrentLinkedQueue<Lingering> incoming = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final LongSupplier clock;
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * @param clock monotonic milliseconds
     */
    public Refusals(LongSupplier clock) {
        this.clock = clock;
        this.thread = Thread.ofPlatform().daemon().name("refusals").start(this::run);
    }

    /**
     * Writes {@code text} (may be empty) to the connection and closes it after the linger.
     *
     * @param fd a connected socket, owned from now on
     */
    public void refuse(int fd, byte[] text) {
        if (text.length > 0) {
            TcpConnections.sendNow(fd, text);
        }
        TcpConnections.shutdownWrite(fd);
        if (!running || size.incrementAndGet() > MAX_LINGERING) {
            size.decrementAndGet();
            close(fd);
            return;
        }
        incoming.add(new Lingering(fd, clock.getAsLong() + LINGER_MS));
    }

    /** How many refused connections linger now. */
    public int lingering() {
        return size.get();
    }

    private void run() {
        List<Lingering> open = new ArrayList<>();
        while (running || !open.isEmpty()) {
            for (Lingering l = incoming.poll(); l != null; l = incoming.poll()) {
                open.add(l);
            }
            long now = clock.getAsLong();
            for (Iterator<Lingering> it = open.iterator(); it.hasNext(); ) {
                Lingering l = it.next();
                if (!running || now >= l.until() || TcpConnections.discard(l.fd()) < 0) {
                    close(l.fd());
                    size.decrementAndGet();
                    it.remove();
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(POLL_MS));
        }
    }

    private static void close(int fd) {
        try {
            FileDescriptors.close(fd);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "closing a refused connection failed: " + e.getMessage());
        }
    }

    /** Closes every lingering connection now and stops the thread; waits for it briefly. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(java.time.Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Lingering l = incoming.poll(); l != null; l = incoming.poll()) {
            close(l.fd());
        }
    }
}
