package dev.berth.worker;

import dev.berth.scoreboard.CounterFamily;
import dev.berth.scoreboard.Counters;
import dev.berth.scoreboard.WorkerSlot;
import dev.berth.service.ServiceContext;
import dev.berth.service.ServiceHandler;
import io.netty.channel.Channel;

/**
 * A service's handler in a worker, counting each connection it is given into the slot's
 * {@code CONNECTIONS_ACCEPTED} counter of the service, so the master can export connections per
 * service (the slot's own {@code accepted} is per worker). Thread-safe as its delegate.
 */
final class CountingHandler implements ServiceHandler {

    private final ServiceHandler delegate;
    private final Counters.Counter accepted;

    private CountingHandler(ServiceHandler delegate, Counters.Counter accepted) {
        this.delegate = delegate;
        this.accepted = accepted;
    }

    /** {@code handler}, counting the connections of {@code service} into {@code slot}. */
    static ServiceHandler counting(String service, WorkerSlot slot, ServiceHandler handler) {
        return new CountingHandler(handler, slot.counters().counter(CounterFamily.CONNECTIONS_ACCEPTED, service));
    }

    /** The context a kind gets: requests count into the slot and per service; the slot's counters. */
    static ServiceContext context(String service, WorkerSlot slot) {
        Counters.Counter requests = slot.counters().counter(CounterFamily.REQUESTS, service);
        return new ServiceContext(service, () -> {
            slot.requestServed();
            requests.increment();
        }, slot.counters());
    }

    @Override
    public void initChannel(Channel channel) {
        accepted.increment();
        delegate.initChannel(channel);
    }

    @Override
    public void onDrain() {
        delegate.onDrain();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
