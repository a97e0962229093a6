package dev.berth.worker;

import dev.berth.posix.FileDescriptors;
import dev.berth.posix.PosixException;
import dev.berth.posix.TcpListener;
import dev.berth.scoreboard.WorkerSlot;
import dev.berth.service.ServiceHandler;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import java.lang.System.Logger.Level;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code accept: shared}: one platform thread per listener, blocked in {@code accept()} on the
 * socket every worker of the pool shares. The kernel wakes blocked acceptors one at a time, oldest
 * waiter first, across processes, which keeps the pool balanced; a stopped or busy worker is simply
 * not waiting, so it takes nothing (docs/adr/0002).
 *
 * <p>Each accepted connection is counted in the slot, then registered on the next event loop, where
 * the service's handler installs its pipeline. The socket's receive timeout (set by the master)
 * bounds every wait, so the thread stamps its heartbeat and notices {@link #stop} within it.
 */
final class SharedAcceptor implements Runnable {

    private static final System.Logger LOG = System.getLogger(SharedAcceptor.class.getName());

    private final TcpListener listener;
    private final ServiceHandler handler;
    private final EventLoopGroup loops;
    private final WorkerSlot slot;
    private final int beat;
    private final Thread thread;
    private volatile boolean running = true;

    SharedAcceptor(String service, TcpListener listener, ServiceHandler handler, EventLoopGroup loops,
                   WorkerSlot slot, int beat) {
        this.listener = listener;
        this.handler = handler;
        this.loops = loops;
        this.slot = slot;
        this.beat = beat;
        this.thread = Thread.ofPlatform().name("accept-" + service + "-" + listener.fd()).unstarted(this);
    }

    /** Starts the accepting thread. */
    void start() {
        thread.start();
    }

    @Override
    public void run() {
        while (running) {
            slot.beat(beat, System.nanoTime() / 1_000_000);
            int fd;
            try {
                fd = listener.accept();
            } catch (PosixException e) {
                // EMFILE and friends: the connection stays queued for a sibling; back off briefly
                LOG.log(Level.WARNING, "accept failed, pausing 100 ms: " + e.getMessage());
                LockSupport.parkNanos(100_000_000L);
                continue;
            }
            if (fd >= 0) {
                hand(fd);
            }
        }
    }

    private void hand(int fd) {
        slot.connectionAccepted();
        EpollSocketChannel channel;
        try {
            channel = new EpollSocketChannel(fd);
        } catch (RuntimeException e) {
            slot.connectionClosed();
            FileDescriptors.close(fd);
            LOG.log(Level.WARNING, "cannot wrap accepted connection: " + e);
            return;
        }
        channel.closeFuture().addListener(f -> slot.connectionClosed());
        channel.pipeline().addLast(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                handler.initChannel(ch);
            }
        });
        loops.next().register(channel).addListener(f -> {
            if (!f.isSuccess()) {
                channel.unsafe().closeForcibly();
            }
        });
    }

    /** Asks the thread to stop after its current wait; returns at once. */
    void stop() {
        running = false;
    }

    /** Waits for the thread to end; it ends within the socket's accept timeout after {@link #stop}. */
    void join() throws InterruptedException {
        thread.join();
    }
}
