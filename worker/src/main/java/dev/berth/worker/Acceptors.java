package dev.berth.worker;

import dev.berth.posix.AcceptLock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The worker's side of its pool's accept strategy: which {@link Acceptor}s it runs, and how many
 * heartbeat entries they stamp (after the event loops' entries).
 *
 * <pre>
 *   shared     one SharedAcceptor per listener, yielding to less busy siblings
 *   reuseport  one SharedAcceptor per listener (the worker's own sockets), not yielding
 *   mutex      one MutexAcceptor over every listener, behind the pool's accept lock
 *   handoff    one HandoffAcceptor linked to the pool's dispatcher
 * </pre>
 */
final class Acceptors {

    private Acceptors() {
    }

    /** Heartbeat entries the acceptors of {@code services} use. */
    static int beats(WorkerServices services) {
        return switch (services.pool().accept()) {
            case SHARED, REUSEPORT -> services.bindings().size();
            case MUTEX, HANDOFF -> 1;
        };
    }

    /**
     * The acceptors, not started.
     *
     * @param firstBeat the first heartbeat entry they may use
     * @param dispatchSocket a handoff pool's dispatch socket
     * @param token the worker's slot token, its proof of identity to a dispatcher
     */
    static List<Acceptor> of(WorkerServices services, AcceptContext context, int firstBeat, Path dispatchSocket,
                             long token) {
        return switch (services.pool().accept()) {
            case SHARED -> shared(services, context, firstBeat, true);
            case REUSEPORT -> shared(services, context, firstBeat, false);
            case MUTEX -> List.of(new MutexAcceptor(services.bindings(), AcceptLock.open(services.acceptLock()),
                    context, firstBeat));
            case HANDOFF -> List.of(new HandoffAcceptor(new HandoffAcceptor.Source(dispatchSocket, services.handlers(),
                    token, services.pool().threads()), context, firstBeat));
        };
    }

    private static List<Acceptor> shared(WorkerServices services, AcceptContext context, int firstBeat, boolean yields) {
        List<Acceptor> list = new ArrayList<>();
        for (ListenerBinding binding : services.bindings()) {
            list.add(new SharedAcceptor(binding, context, firstBeat + list.size(), yields));
        }
        return list;
    }
}
