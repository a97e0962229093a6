package dev.berth.worker;

import dev.berth.scoreboard.WorkerSlot;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The worker's event loops (Netty, native epoll), which serve its connections. Every loop keeps
 * its own heartbeat entry (entries {@code 0..threads-1}) as it goes round ({@link
 * HeartbeatIoHandler}), so one stuck loop shows as a hang; an idle loop wakes once per beat period
 * (a quarter of the pool's hang-timeout, {@value #MIN_BEAT_MS}..{@value #MAX_BEAT_MS} ms) to keep
 * its appointment, and a stopped process is judged at most that period after hang-timeout. The
 * first loop's beat also samples the loops' CPU use for the pool's sizing when it is due ({@link
 * LoadMeter}), so that an idle worker has no other timer. Made and closed by the worker's main
 * thread. Why a quarter: docs/adr/0030.
 */
final class EventLoops implements AutoCloseable {

    static final long MIN_BEAT_MS = 50;
    static final long MAX_BEAT_MS = 1000;
    private static final long SHUTDOWN_WAIT_SECONDS = 5;

    private final MultiThreadIoEventLoopGroup group;
    private final List<EventLoop> loops = new ArrayList<>();

    /**
     * Starts {@code threads} loops and their heartbeats; blocks until each loop has run once.
     *
     * @param hangTimeout the pool's hang-timeout, which sets the beat period
     * @param clock monotonic milliseconds, the heartbeats' clock
     */
    EventLoops(int threads, Duration hangTimeout, WorkerSlot slot, LongSupplier clock) {
        group = new MultiThreadIoEventLoopGroup(threads,
                HeartbeatIoHandler.factory(EpollIoHandler.newFactory(), slot, clock));
        long period = beatPeriod(hangTimeout);
        List<Thread> loopThreads = new ArrayList<>();
        for (EventExecutor executor : group) {
            EventLoop loop = (EventLoop) executor;
            loops.add(loop);
            loopThreads.add(loop.submit(Thread::currentThread).syncUninterruptibly().getNow());
        }
        LoadMeter meter = new LoadMeter(loopThreads, slot, clock);
        for (int beat = 0; beat < loops.size(); beat++) {
            int mine = beat;
            // the task gives the loop an appointment (the handler stamps around it); loop 0 also meters
            Runnable task = mine == 0 ? () -> {
                slot.beat(mine, clock.getAsLong());
                meter.sampleIfDue();
            } : () -> slot.beat(mine, clock.getAsLong());
            loops.get(mine).scheduleAtFixedRate(task, 0, period, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Starts one epoll loop, runs a task on it and stops it: loads Netty's native library and its
     * loop classes ahead of a start (a spare's preparation). Leaves no thread or descriptor.
     */
    static void warmUp() {
        MultiThreadIoEventLoopGroup warm = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            warm.submit(() -> { }).syncUninterruptibly();
        } finally {
            warm.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).awaitUninterruptibly(SHUTDOWN_WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** How often an idle loop wakes to keep its appointment, for a pool's {@code hangTimeout}. */
    static long beatPeriod(Duration hangTimeout) {
        return Math.clamp(hangTimeout.toMillis() / 4, MIN_BEAT_MS, MAX_BEAT_MS);
    }

    /** The loops, for registering connections. */
    EventLoopGroup group() {
        return group;
    }

    /** Each loop, in heartbeat-entry order. */
    List<EventLoop> loops() {
        return List.copyOf(loops);
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
