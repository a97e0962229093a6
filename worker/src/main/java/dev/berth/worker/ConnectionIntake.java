package dev.berth.worker;

import dev.berth.posix.FileDescriptors;
import dev.berth.scoreboard.WorkerSlot;
import dev.berth.service.ServiceHandler;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Turns an accepted connection's fd into a channel on the next event loop, where the service's
 * handler installs its pipeline (followed by the {@link FatalErrorHandler}), and keeps the slot's
 * accepted and active counts. {@link #take} is called from acceptor threads; thread-safe; never
 * blocks. {@link #awaitIdle} is for the worker's main thread during a drain: it sleeps until the
 * last connection closes, woken by that close, not by polling.
 */
final class ConnectionIntake {

    private static final System.Logger LOG = System.getLogger(ConnectionIntake.class.getName());

    private final EventLoopGroup loops;
    private final WorkerSlot slot;
    private final Object idle = new Object();
    private volatile boolean awaitingIdle;
    private final AddressDrains drains;

    ConnectionIntake(EventLoopGroup loops, WorkerSlot slot) {
        this(loops, slot, null);
    }

    /**
     * @param drains tracks the connections of a tenant group's worker for {@code berth addr del};
     *     null for other workers
     */
    ConnectionIntake(EventLoopGroup loops, WorkerSlot slot, AddressDrains drains) {
        this.loops = loops;
        this.slot = slot;
        this.drains = drains;
    }

    /** Takes ownership of {@code fd}, a connected, non-blocking TCP socket, served by the next loop. */
    void take(int fd, ServiceHandler handler) {
        take(fd, handler, loops.next());
    }

    /**
     * Takes ownership of {@code fd}, a connected, non-blocking TCP socket, served by {@code loop}
     * (at once when called on that loop's thread).
     */
    void take(int fd, ServiceHandler handler, EventLoop loop) {
        slot.connectionAccepted();
        register(fd, handler, loop, false);
    }

    /**
     * Counts {@code n} connections as open before they are taken with {@link #takeCounted}, and says
     * in the slot that the link's batches up to {@code batch} are counted: a handoff worker counts a
     * batch before its ack, so the dispatcher, which reads the count once it has the ack, never sees
     * the worker less busy than it is, and it counts the batch once, not also as in flight.
     */
    void count(int n, long batch) {
        for (int i = 0; i < n; i++) {
            slot.connectionAccepted();
        }
        slot.countedBatch(batch);
    }

    /** A handoff worker links anew: no batch of the new link is counted yet. */
    void linking() {
        slot.countedBatch(0);
    }

    /** Takes back {@code n} counts of {@link #count} for connections that will not be taken. */
    void uncount(int n) {
        for (int i = 0; i < n; i++) {
            closed();
        }
    }

    /**
     * Takes ownership of {@code fd}, counted already ({@link #count}), served by the next loop. The
     * dispatcher may still hold a descriptor of the connection (until it reads the ack), so closing
     * it sends the FIN at once ({@link FinOnClose}) instead of when the last descriptor closes.
     */
    void takeCounted(int fd, ServiceHandler handler) {
        register(fd, handler, loops.next(), true);
    }

    private void register(int fd, ServiceHandler handler, EventLoop loop, boolean copyElsewhere) {
        EpollSocketChannel channel;
        try {
            channel = new EpollSocketChannel(fd);
        } catch (RuntimeException e) {
            closed();
            FileDescriptors.close(fd);
            LOG.log(Level.WARNING, "cannot wrap accepted connection: " + e);
            return;
        }
        channel.closeFuture().addListener(f -> closed());
        if (drains != null) {
            drains.add(channel);
        }
        channel.pipeline().addLast(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                handler.initChannel(ch);
                ch.pipeline().addLast(FatalErrorHandler.INSTANCE);
                if (copyElsewhere) {
                    ch.pipeline().addFirst(FinOnClose.INSTANCE);
                }
            }
        });
        loop.register(channel).addListener(f -> {
            if (!f.isSuccess()) {
                channel.unsafe().closeForcibly();
            }
        });
    }

    private void closed() {
        slot.connectionClosed();
        // both sides are sequentially consistent (a volatile flag, an atomic count): either this
        // thread sees the waiter's flag or the waiter sees the count this close left
        if (awaitingIdle && slot.active() == 0) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    /**
     * Blocks until no connection taken here is open, or {@code timeout} has passed.
     *
     * @return whether every connection closed in time
     * @throws InterruptedException when the waiting thread is interrupted
     */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            awaitingIdle = true;
            try {
                for (long left = timeout.toNanos(); slot.active() > 0 && left > 0; left = deadline - System.nanoTime()) {
                    TimeUnit.NANOSECONDS.timedWait(idle, left);
                }
                return slot.active() == 0;
            } finally {
                awaitingIdle = false;
            }
        }
    }
}
