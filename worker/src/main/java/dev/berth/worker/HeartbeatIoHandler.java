package dev.berth.worker;

import dev.berth.scoreboard.WorkerSlot;
import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.IoRegistration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Netty's epoll handler with the loop's heartbeat in it: around each round of the loop it stamps
 * the loop's entry, so a loop that works stamps as often as it goes round, and a loop that is about
 * to sleep in {@code epoll_wait} stamps the time it will wake at the latest (its next scheduled
 * task): the entry is an appointment, not a past time. A loop stuck in a handler, or a stopped
 * process, misses its appointment and ages from there; an idle loop costs one wake-up per
 * {@link EventLoops} beat period, not ten per second.
 *
 * <p>Each instance belongs to one loop and runs on its thread; entries are given out in the order
 * Netty creates the loops' handlers, which is the group's iteration order.
 */
final class HeartbeatIoHandler implements IoHandler {

    private final IoHandler delegate;
    private final WorkerSlot slot;
    private final int entry;
    private final LongSupplier clock;

    private HeartbeatIoHandler(IoHandler delegate, WorkerSlot slot, int entry, LongSupplier clock) {
        this.delegate = delegate;
        this.slot = slot;
        this.entry = entry;
        this.clock = clock;
    }

    /**
     * Wraps every handler {@code factory} makes; the n-th gets heartbeat entry n.
     *
     * @param clock monotonic milliseconds
     */
    static IoHandlerFactory factory(IoHandlerFactory factory, WorkerSlot slot, LongSupplier clock) {
        AtomicInteger next = new AtomicInteger();
        return executor -> new HeartbeatIoHandler(factory.newHandler(executor), slot, next.getAndIncrement(), clock);
    }

    /** The wrapped handler (Netty's), for {@link NettyEpoll}. */
    IoHandler delegate() {
        return delegate;
    }

    @Override
    public int run(IoHandlerContext context) {
        if (context.canBlock()) {
            long sleep = TimeUnit.NANOSECONDS.toMillis(context.delayNanos(System.nanoTime()));
            slot.beat(entry, clock.getAsLong() + sleep + 1);
        }
        int handled = delegate.run(context);
        slot.beat(entry, clock.getAsLong());
        return handled;
    }

    @Override
    public void initialize() {
        delegate.initialize();
    }

    @Override
    public void prepareToDestroy() {
        delegate.prepareToDestroy();
    }

    @Override
    public void destroy() {
        delegate.destroy();
    }

    @Override
    public IoRegistration register(IoHandle handle) throws Exception {
        return delegate.register(handle);
    }

    @Override
    public void wakeup() {
        delegate.wakeup();
    }

    @Override
    public boolean isCompatible(Class<? extends IoHandle> handleType) {
        return delegate.isCompatible(handleType);
    }
}
