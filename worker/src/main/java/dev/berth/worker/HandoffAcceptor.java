package dev.berth.worker;

import dev.berth.control.ControlChannel;
import dev.berth.control.ControlMessage;
import dev.berth.posix.PosixException;
import dev.berth.service.ServiceHandler;
import io.netty.channel.IoEventLoop;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code accept: handoff}, worker side (docs/adr/0005, 0035). A platform thread makes the link to
 * the pool's dispatcher: it connects to the dispatch socket (again after {@value #RETRY_MS} ms while
 * the dispatcher is away), says Hello and grants credit, then puts the link into an event loop's
 * epoll set ({@link HandoffLink}) and waits for the link's end. The loop reads the batches, acks
 * them and takes their connections itself, with no thread between the link and the connections.
 *
 * <p>The thread's heartbeat entry says "waiting outside" ({@link Long#MAX_VALUE}) while the link is
 * in the loop, as the mutex acceptor's does: the event loops' beats still show a stopped worker.
 * {@link #stop} only shuts the link down, which the loop reads as its end; the thread closes the
 * link once the loop is done with it, so no thread closes a descriptor another still uses.
 */
final class HandoffAcceptor implements Acceptor {

    private static final System.Logger LOG = System.getLogger(HandoffAcceptor.class.getName());
    static final long RETRY_MS = 50;
    /** Connections granted per event-loop thread: what may be on its way to this worker at once. */
    static final int CREDIT_PER_THREAD = 64;
    private static final long WAIT_MS = 100;
    private static final long STOP_WAIT_MS = 5_000;

    private final Path socket;
    private final Map<String, ServiceHandler> handlers;
    private final AcceptContext context;
    private final IoEventLoop loop;
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
     * @param loop the event loop that reads the link (connections go to every loop in turn)
     * @param beat this thread's heartbeat entry
     */
    HandoffAcceptor(Source source, AcceptContext context, IoEventLoop loop, int beat) {
        this.socket = source.socket();
        this.handlers = source.handlers();
        this.token = source.token();
        this.credit = CREDIT_PER_THREAD * source.threads();
        this.context = context;
        this.loop = loop;
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
        boolean done = true;
        try {
            if (running) {
                context.intake().linking();
                channel.send(new ControlMessage.Hello(context.slot().index(), token));
                channel.send(new ControlMessage.Credit(credit));
                done = awaitEnd(new HandoffLink(channel, handlers, context.intake(), () -> running).register(loop));
            }
        } catch (RuntimeException e) {
            if (running) {
                LOG.log(Level.WARNING, "link to the dispatcher failed: " + e.getMessage());
            }
        } finally {
            synchronized (linkLock) {
                link = null;
            }
            if (done) {
                channel.close();
            }
        }
    }

    /**
     * Waits while the loop serves the link; whether the loop is done with it. After {@link #stop},
     * waits at most {@value #STOP_WAIT_MS} ms for the loop to read the end; a loop that does not is
     * left the link (the worker is exiting).
     */
    private boolean awaitEnd(CompletableFuture<Void> ended) {
        long stopDeadline = Long.MAX_VALUE;
        while (true) {
            context.waitingOutside(beat);
            try {
                ended.get(WAIT_MS, TimeUnit.MILLISECONDS);
                return true;
            } catch (TimeoutException e) {
                if (!running) {
                    stopDeadline = Math.min(stopDeadline, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STOP_WAIT_MS));
                    if (System.nanoTime() - stopDeadline > 0) {
                        return false;
                    }
                }
            } catch (ExecutionException e) {
                LOG.log(Level.WARNING, "serving the link failed: " + e.getCause());
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } finally {
                context.beat(beat);
            }
        }
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
