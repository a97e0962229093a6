package dev.berth.worker;

import dev.berth.control.ControlChannel;
import dev.berth.control.ControlMessage;
import dev.berth.posix.FileDescriptors;
import dev.berth.posix.PosixException;
import dev.berth.service.ServiceHandler;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code accept: handoff}, worker side: one platform thread linked to the pool's dispatcher. It
 * connects to the dispatch socket (again after {@value #RETRY_MS} ms while the dispatcher is
 * away), says Hello and grants credit, then receives batches of connections. It acks each batch
 * on receipt, before it touches a connection: from the ack on, the worker owns them and the
 * dispatcher closes its copies. It then hands each to the {@link ConnectionIntake} with its
 * service's handler and grants that much credit again (docs/adr/0005).
 *
 * <p>While blocked in receive its heartbeat entry says "waiting outside" ({@link Long#MAX_VALUE}),
 * as the mutex acceptor's does: the event loops' beats still show a stopped worker.
 *
 * <p>If the ack cannot be sent, the link is over and what is left on it decides: after {@link
 * #stop}, or with the dispatcher's Revoke among it, the dispatcher takes the batch back when it
 * sees the link end, so the worker closes its copies; a bare end means the dispatcher died and
 * nobody else holds them, so the worker keeps them. {@link #stop} only shuts the link down (which
 * wakes the receive); the thread closes it, so no other thread closes a descriptor this one still
 * uses.
 */
final class HandoffAcceptor implements Acceptor {

    private static final System.Logger LOG = System.getLogger(HandoffAcceptor.class.getName());
    static final long RETRY_MS = 50;
    /** Connections granted per event-loop thread: what may be on its way to this worker at once. */
    static final int CREDIT_PER_THREAD = 64;

    private final Path socket;
    private final Map<String, ServiceHandler> handlers;
    private final AcceptContext context;
    private final int beat;
    private final long token;
    private final int credit;
    private final Thread thread;
    private final Object linkLock = new Object();
    private ControlChannel link;
    private volatile boolean running = true;

    /**
     * Where the worker's connections come from.
     *
     * @param socket the dispatch socket of the worker's pool and generation
     * @param handlers the handler of each service of the pool, by service name
     * @param token the worker's slot token, its proof of identity
     * @param threads the worker's event-loop threads, which size its credit
     */
    record Source(Path socket, Map<String, ServiceHandler> handlers, long token, int threads) {

        /** Copies the map. */
        Source {
            handlers = Map.copyOf(handlers);
        }
    }

    /**
     * @param beat this thread's heartbeat entry
     */
    HandoffAcceptor(Source source, AcceptContext context, int beat) {
        this.socket = source.socket();
        this.handlers = source.handlers();
        this.token = source.token();
        this.credit = CREDIT_PER_THREAD * source.threads();
        this.context = context;
        this.beat = beat;
        this.thread = Thread.ofPlatform().name("accept-handoff").unstarted(this::run);
    }

    @Override
    public void start() {
        thread.start();
    }

    private void run() {
        boolean warned = false;
        while (running) {
            context.beat(beat);
            ControlChannel channel;
            try {
                channel = ControlChannel.connect(socket);
            } catch (PosixException e) {
                if (!warned) {
                    LOG.log(Level.WARNING, "cannot reach the dispatcher at " + socket + " (" + e.getMessage()
                            + "); retrying every " + RETRY_MS + " ms");
                    warned = true;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(RETRY_MS));
                continue;
            }
            warned = false;
            serveLink(channel);
            if (running) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(RETRY_MS));
            }
        }
    }

    private void serveLink(ControlChannel channel) {
        synchronized (linkLock) {
            link = channel;
        }
        try {
            if (running) {
                channel.send(new ControlMessage.Hello(context.slot().index(), token));
                channel.send(new ControlMessage.Credit(credit));
                receiveBatches(channel);
            }
        } catch (RuntimeException e) {
            if (running) {
                LOG.log(Level.WARNING, "link to the dispatcher failed: " + e.getMessage());
            }
        } finally {
            synchronized (linkLock) {
                link = null;
            }
            channel.close();
        }
    }

    private void receiveBatches(ControlChannel channel) {
        while (true) {
            context.waitingOutside(beat);
            Optional<ControlChannel.Received> received = channel.receive();
            context.beat(beat);
            if (received.isEmpty()) {
                return;
            }
            int[] fds = received.get().fds();
            if (received.get().message() instanceof ControlMessage.Revoke) {
                FileDescriptors.closeAll(fds);
                LOG.log(Level.WARNING, "the dispatcher ended the link (an ack was overdue); linking again");
                return;
            }
            if (!(received.get().message() instanceof ControlMessage.Handoff handoff)
                    || handoff.services().size() != fds.length) {
                FileDescriptors.closeAll(fds);
                LOG.log(Level.WARNING, "ignoring " + received.get().message() + " with " + fds.length + " fds");
                continue;
            }
            if (!ack(channel, handoff)) {
                settle(channel, List.of(new Batch(handoff, fds)));
                return;
            }
            takeAll(handoff, fds);
            channel.send(new ControlMessage.Credit(fds.length));
        }
    }

    /** A batch received and not acked. */
    private record Batch(ControlMessage.Handoff handoff, int[] fds) {
    }

    private static boolean ack(ControlChannel channel, ControlMessage.Handoff handoff) {
        try {
            channel.send(new ControlMessage.Ack(handoff.batch()));
            return true;
        } catch (PosixException e) {
            return false;
        }
    }

    /**
     * After an ack could not be sent: decides who owns the batches not acked. If this worker shut the
     * link, or the dispatcher's Revoke is among what is left on it, the dispatcher takes them back
     * and the worker closes its copies; if the link just ends, the dispatcher died with its copies
     * and the worker keeps them.
     */
    private void settle(ControlChannel channel, List<Batch> unacked) {
        channel.shutdown();
        List<Batch> batches = new ArrayList<>(unacked);
        boolean revoked = !running;
        for (Optional<ControlChannel.Received> r = channel.receive(); r.isPresent(); r = channel.receive()) {
            if (r.get().message() instanceof ControlMessage.Handoff h && h.services().size() == r.get().fds().length) {
                batches.add(new Batch(h, r.get().fds()));
            } else {
                revoked |= r.get().message() instanceof ControlMessage.Revoke;
                FileDescriptors.closeAll(r.get().fds());
            }
        }
        for (Batch b : batches) {
            if (revoked) {
                FileDescriptors.closeAll(b.fds());
            } else {
                takeAll(b.handoff(), b.fds());
            }
        }
    }

    private void takeAll(ControlMessage.Handoff handoff, int[] fds) {
        for (int i = 0; i < fds.length; i++) {
            take(fds[i], handoff.services().get(i));
        }
    }

    private void take(int fd, String service) {
        ServiceHandler handler = handlers.get(service);
        if (handler == null) {
            LOG.log(Level.WARNING, "connection for unknown service " + service + "; closing it");
            FileDescriptors.close(fd);
            return;
        }
        context.intake().take(fd, handler);
    }

    @Override
    public void stop() {
        running = false;
        synchronized (linkLock) {
            if (link != null) {
                link.shutdown();
            }
        }
    }

    @Override
    public void join() throws InterruptedException {
        thread.join();
    }
}
