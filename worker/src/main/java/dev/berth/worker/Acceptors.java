package dev.berth.worker;

import dev.berth.posix.AcceptLock;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEventLoop;
import java.util.ArrayList;
import java.util.List;

/**
 * The worker's side of its pool's accept strategy: which {@link Acceptor}s it runs, and how many
 * heartbeat entries they stamp (after the event loops' entries).
 *
 * <pre>
 *   shared     one SharedAcceptor thread per listener, yielding to less busy siblings (docs/adr/0022)
 *   reuseport  one LoopAcceptor per listener (the worker's own sockets) and event loop
 *   mutex      one MutexAcceptor thread over every listener, behind the pool's accept lock
 *   handoff    one HandoffAcceptor thread that links to the pool's dispatcher; an event loop reads the link
 * </pre>
 */
final class Acceptors {

    private Acceptors() {
    }

    /** Heartbeat entries the acceptors of {@code services} use. */
    static int beats(WorkerServices services) {
        return switch (services.pool().accept()) {
            case SHARED -> services.bindings().size();
            case REUSEPORT -> 0;
            case MUTEX, HANDOFF -> 1;
        };
    }

    /**
     * The acceptors, not started.
     *
     * @param loops the worker's event loops
     * @param firstBeat the first heartbeat entry they may use
     * @param handoff where a handoff pool's worker links, and how it proves who it is
     */
    static List<Acceptor> of(WorkerServices services, AcceptContext context, EventLoops loops, int firstBeat,
                             HandoffAcceptor.Source handoff) {
        return switch (services.pool().accept()) {
            case SHARED -> shared(services, context, firstBeat);
            case REUSEPORT -> inLoops(services, context, loops, false);
            case MUTEX -> List.of(new MutexAcceptor(services.bindings(), AcceptLock.open(services.acceptLock()),
                    context, firstBeat));
            case HANDOFF -> List.of(new HandoffAcceptor(handoff, context, (IoEventLoop) loops.group().next(), firstBeat));
        };
    }

    private static List<Acceptor> shared(WorkerServices services, AcceptContext context, int firstBeat) {
        List<Acceptor> list = new ArrayList<>();
        for (ListenerBinding binding : services.bindings()) {
            list.add(new SharedAcceptor(binding, context, firstBeat + list.size(), true));
        }
        return list;
    }

    private static List<Acceptor> inLoops(WorkerServices services, AcceptContext context, EventLoops loops,
                                          boolean exclusive) {
        List<Acceptor> list = new ArrayList<>();
        for (ListenerBinding binding : services.bindings()) {
            binding.listener().blocking(false);
            for (EventLoop loop : loops.loops()) {
                list.add(new LoopAcceptor(binding, context, loop, exclusive));
            }
        }
        return list;
    }
}
