package dev.berth.mesh;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * The proxy's switchboard: takes calls from slots, routes each through its group's {@link
 * GroupRouter} to a member (this node's own workers through {@link LocalServe}, another node through
 * the {@link Transport}), retries on another member when the node could not take it, enforces the
 * deadline, and sends the outcome back. Also runs calls that arrive from other nodes on local
 * workers. Thread-safe: the event loop (reading the slots, and its connections) and the deadline
 * timer call in.
 *
 * <pre>
 *   CALL -&gt; exchange -&gt; pick member -&gt; attempt --ok / handler error--&gt; REPLY
 *                          ^                  |
 *                          +-- unavailable: --+  (normal, routed; within the retry budget and deadline)
 *   CANCEL, slot reclaimed, deadline -&gt; cancel the attempt, REPLY (or nothing for a dead owner)
 * </pre>
 */
final class ProxyCore {

    private final Map<String, GroupRouter> routers;
    private final LocalServe local;
    private final Transport transport;
    private final ReplyWriter writer;
    private final Deadlines deadlines;
    private final LongSupplier nanos;
    private final MeshCounters counters;
    private final String node;
    private final Map<SlotCall, Exchange> fromSlots = new ConcurrentHashMap<>();

    private record SlotCall(int slot, int generation, long id) {
    }

    /** Where the parts of a proxy are. */
    record Parts(Map<String, GroupRouter> routers, LocalServe local, Transport transport, ReplyWriter writer,
                 Deadlines deadlines) {
    }

    ProxyCore(String node, Parts parts, LongSupplier nanos, MeshCounters counters) {
        this.node = node;
        this.routers = parts.routers();
        this.local = parts.local();
        this.transport = parts.transport();
        this.writer = parts.writer();
        this.deadlines = parts.deadlines();
        this.nanos = nanos;
        this.counters = counters;
    }

    /** Event loop, reading the slots: a call from the owner of slot {@code slot}. */
    void onSlotCall(int slot, int generation, MeshRecord.Call call) {
        SlotCall key = new SlotCall(slot, generation, call.id());
        Exchange.Request request = new Exchange.Request(call.group(), call.key(), call.requestType(), node,
                call.payload(), call.deadlineNanos());
        long started = nanos.getAsLong();
        Exchange exchange = new Exchange(request, started, outcome -> {
            fromSlots.remove(key);
            counters.record(call.group(), outcome, nanos.getAsLong() - started);
            writer.deliver(slot, generation, outcome.reply(call.id()));
        });
        fromSlots.put(key, exchange);
        route(exchange);
    }

    /** Event loop, reading the slots: the owner gave up on a call. */
    void onSlotCancel(int slot, int generation, long id) {
        Exchange exchange = fromSlots.remove(new SlotCall(slot, generation, id));
        if (exchange != null) {
            exchange.abort(new Outcome.Cancelled("", "cancelled by the caller"));
        }
    }

    /**
     * Event loop, reading the slots: the owner of slot {@code slot} died; its calls and the requests
     * it was executing fail.
     */
    void onSlotReclaimed(int slot) {
        fromSlots.forEach((key, exchange) -> {
            if (key.slot() == slot) {
                exchange.abort(new Outcome.Cancelled("", "the calling process died"));
            }
        });
        writer.discard(slot);
        local.onReclaimed(slot);
    }

    /** An event loop: a call from another node, to run here. */
    Runnable serveRemote(Exchange.Request request, Exchange.Origin origin) {
        Exchange exchange = new Exchange(request, nanos.getAsLong(), origin);
        arm(exchange);
        Runnable cancel = local.dispatch(request, exchange::complete);
        exchange.attempt(cancel);
        return () -> exchange.abort(new Outcome.Cancelled(node, "cancelled by the caller"));
    }

    /** Calls carried now (from slots, not yet answered). */
    int inFlight() {
        return fromSlots.size();
    }

    private void route(Exchange exchange) {
        GroupRouter router = routers.get(exchange.group);
        if (router == null) {
            complete(exchange, new Outcome.Unavailable("", "no mesh group " + exchange.group + " on node " + node));
            return;
        }
        router.budget().deposit();
        arm(exchange);
        attempt(exchange, router);
    }

    private void arm(Exchange exchange) {
        long left = exchange.deadlineNanos - nanos.getAsLong();
        if (left <= 0) {
            exchange.complete(new Outcome.Timeout(""));
            return;
        }
        exchange.deadline(deadlines.add(left, () -> exchange.abort(new Outcome.Timeout(""))));
    }

    private void attempt(Exchange exchange, GroupRouter router) {
        if (exchange.done()) {
            return;
        }
        Optional<MemberHealth> picked = router.pick(exchange.key, exchange.type, exchange.tried);
        if (picked.isEmpty()) {
            complete(exchange, new Outcome.Unavailable("", "no member of " + exchange.group + " is available"
                    + (exchange.tried.isEmpty() ? "" : " (tried " + String.join(", ", exchange.tried) + ")")));
            return;
        }
        MemberHealth member = picked.get();
        member.started();
        AtomicBoolean settled = new AtomicBoolean();
        Exchange.Request request = exchange.request();
        Runnable cancel = member.local()
                ? local.dispatch(request, outcome -> onAttempt(exchange, router, member, settled, outcome))
                : transport.send(member.name(), request, outcome -> onAttempt(exchange, router, member, settled, outcome));
        Runnable abandon = () -> {
            if (settled.compareAndSet(false, true)) {
                member.abandoned();
                cancel.run();
            }
        };
        // an attempt that settled while it was sent (on the event loop, a link that is down) may
        // have started the next one, whose cancel is the exchange's now
        if (!settled.get()) {
            exchange.attempt(abandon);
            if (exchange.done()) {
                // aborted (deadline, cancel) while this attempt was being sent: the abort ran the
                // previous cancel
                abandon.run();
            }
        }
    }

    private void onAttempt(Exchange exchange, GroupRouter router, MemberHealth member, AtomicBoolean settled,
                           Outcome outcome) {
        if (!settled.compareAndSet(false, true)) {
            return;
        }
        switch (outcome) {
            case Outcome.Ok ok -> member.succeeded();
            case Outcome.HandlerError e -> member.succeeded();
            case Outcome.Unavailable u -> member.failed(nanos.getAsLong());
            case Outcome.Timeout t -> member.abandoned();
            case Outcome.Cancelled c -> member.abandoned();
        }
        if (outcome instanceof Outcome.Unavailable && router.group().mode() != dev.berth.config.MeshConfig.Mode.KEYED
                && exchange.deadlineNanos - nanos.getAsLong() > 0 && router.budget().withdraw()) {
            exchange.tried.add(member.name());
            attempt(exchange, router);
            return;
        }
        complete(exchange, outcome);
    }

    private static void complete(Exchange exchange, Outcome outcome) {
        exchange.complete(outcome);
    }
}
