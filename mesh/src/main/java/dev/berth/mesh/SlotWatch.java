package dev.berth.mesh;

import dev.berth.posix.Fifo;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.SelectStrategy;
import io.netty.channel.SelectStrategyFactory;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import io.netty.util.IntSupplier;
import java.io.IOException;

/**
 * Runs the proxy's {@link SlotAgent} on its event loop, so that a request goes from its slot to its
 * peer connection, and an answer from its slot to its stream, without crossing a thread (docs/adr/
 * 0029). It is the loop's select strategy: before every turn the loop drains the slots, and
 * before it sleeps in {@code epoll_wait} it rings the {@link Doorbell} "asleep" and looks once more;
 * the doorbell's named pipe is in the loop's epoll set, so a process that writes a request to a
 * sleeping proxy wakes the loop itself.
 *
 * <pre>
 *   every turn:  word := awake; drain the slots
 *                work done or tasks queued  -&gt; poll without sleeping
 *                a reply ring written &lt; 50 µs ago, no request since -&gt; yield, poll without sleeping
 *                else word := asleep (pipe); a request came meanwhile? -&gt; word := awake, poll
 *                else sleep in epoll_wait (sockets, timers, the pipe)
 *   pipe readable: read it empty (the next turn drains the slots)
 * </pre>
 *
 * <p>The strategy of a group of exactly one event loop. {@link #start} from any thread, once the
 * proxy may read the slots; {@link #beat} on the loop; {@link #close} after the loop ended.
 */
final class SlotWatch implements SelectStrategyFactory, SelectStrategy, EpollIoHandle {

    private static final System.Logger LOG = System.getLogger(SlotWatch.class.getName());

    private final Doorbell bell;
    private final FileDescriptor pipe;
    /** Null until {@link #start} and after {@link #stop}: the loop does not read the slots. */
    private volatile SlotAgent agent;

    /**
     * Creates the doorbell's pipe beside the slot file (or opens the one there).
     *
     * @throws dev.berth.posix.PosixException when it cannot
     */
    SlotWatch(SlotFile file) {
        this.bell = file.bell();
        this.pipe = new FileDescriptor(Fifo.openReader(Doorbell.pipe(file.path())));
    }

    /**
     * Puts the pipe in {@code loop}'s epoll set and lets the loop read the slots through {@code
     * agent}. Blocks until the loop registered the pipe; not on the loop.
     */
    void start(IoEventLoop loop, SlotAgent agent) {
        IoRegistration registration = loop.register(this).syncUninterruptibly().getNow();
        loop.submit(() -> {
            registration.submit(EpollIoOps.EPOLLIN);
            this.agent = agent;
        }).syncUninterruptibly();
    }

    /** The loop stops reading the slots from its next turn (the proxy is closing). */
    void stop() {
        agent = null;
    }

    /** Event loop, every {@value SlotAgent#TICK_MILLIS} ms: the agent's tick, once started. */
    void beat(long nowMillis) {
        SlotAgent a = agent;
        if (a != null) {
            a.tick(nowMillis);
        }
    }

    @Override
    public SelectStrategy newSelectStrategy() {
        return this;
    }

    @Override
    public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
        SlotAgent a = agent;
        if (a == null) {
            return hasTasks ? selectNow.get() : SelectStrategy.SELECT;
        }
        bell.awake();
        // records handled may have queued tasks on this loop, which does not wake itself for them
        if (a.drain() > 0 || hasTasks) {
            return selectNow.get();
        }
        if (a.expecting()) {
            // bounded (ReplyWriter.AWAKE_NANOS); the yield lets a thread that has work, such as
            // the worker that answers, have this core on a machine with few
            Thread.yield();
            return selectNow.get();
        }
        bell.sleeping();
        if (a.anyRequest()) {
            bell.awake();
            return selectNow.get();
        }
        return SelectStrategy.SELECT;
    }

    @Override
    public FileDescriptor fd() {
        return pipe;
    }

    @Override
    public void handle(IoRegistration registration, IoEvent event) {
        try {
            Fifo.drain(pipe.intValue());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "mesh doorbell", e);
        }
    }

    /** Closes the pipe's descriptor; idempotent (the loop closes it too when it ends). */
    @Override
    public void close() {
        try {
            pipe.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "mesh doorbell: " + e.getMessage());
        }
    }
}
