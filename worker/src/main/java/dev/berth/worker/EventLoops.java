package dev.berth.worker;

import dev.berth.scoreboard.WorkerSlot;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The worker's event loops (Netty, native epoll), which serve its connections. Every loop stamps
 * its own heartbeat entry (entries {@code 0..threads-1}) every {@value #BEAT_PERIOD_MS} ms, so one
 * stuck loop shows as a hang; the first loop also samples the loops' CPU use for the pool's
 * sizing ({@link LoadMeter}). Made and closed by the worker's main thread.
 */
final class EventLoops implements AutoCloseable {

    static final long BEAT_PERIOD_MS = 100;
    private static final long SHUTDOWN_WAIT_SECONDS = 5;

    private final MultiThreadIoEventLoopGroup group;

    /**
     * Starts {@code threads} loops and their heartbeats; blocks until each loop has run once.
     *
     * @param clock monotonic milliseconds, the heartbeats' clock
     */
    EventLoops(int threads, WorkerSlot slot, LongSupplier clock) {
        group = new MultiThreadIoEventLoopGroup(threads, EpollIoHandler.newFactory());
        List<Thread> loopThreads = new ArrayList<>();
        int beat = 0;
        for (EventExecutor executor : group) {
            int mine = beat++;
            EventLoop loop = (EventLoop) executor;
            loopThreads.add(loop.submit(Thread::currentThread).syncUninterruptibly().getNow());
            loop.scheduleAtFixedRate(() -> slot.beat(mine, clock.getAsLong()), 0, BEAT_PERIOD_MS, TimeUnit.MILLISECONDS);
        }
        LoadMeter meter = new LoadMeter(loopThreads, slot, clock);
        group.next().scheduleAtFixedRate(meter::sample, LoadMeter.PERIOD_MS, LoadMeter.PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    /** The loops, for registering connections. */
    EventLoopGroup group() {
        return group;
    }

    /**
     * Shuts the loops down at once, closing every connection still open; waits up to
     * {@value #SHUTDOWN_WAIT_SECONDS} s for their threads to end.
     */
    @Override
    public void close() {
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).awaitUninterruptibly(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
    }
}
