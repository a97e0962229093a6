package dev.berth.dispatcher;

import dev.berth.child.Child;
import dev.berth.child.ChildRole;
import dev.berth.control.ControlException;
import dev.berth.control.ControlMessage;
import dev.berth.posix.FileDescriptors;
import dev.berth.posix.SeqpacketServer;
import dev.berth.posix.TcpListener;
import dev.berth.scoreboard.WorkerSlot;
import dev.berth.scoreboard.WorkerState;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The {@code dispatcher} role, the accepting process of a pool that hands off or has services with
 * tenant groups, from assignment to exit, on the JVM's main thread:
 *
 * <pre>
 *  assignment (listener fds + one dispatch socket fd per lane) [-&gt; Tenancy, when it classifies]
 *    -&gt; start threads -&gt; Ready -&gt; wait for Drain or end of control stream (new Tenancy: new claims)
 *  Drain: stop accepting, close the listener copies, hand off what is held, exit 0 when nothing is
 *         queued or in flight (at the latest at the drain timeout)
 *  control stream ends (master gone): exit at once
 * </pre>
 *
 * A lane is the pool instance whose workers take a connection (docs/adr/0013): the pool itself, or
 * a tenant group's {@code POOL@GROUP}; each has its own dispatch socket and book. One thread, the
 * {@link DispatchAgent}'s loop (heartbeat entry 0), accepts on every listener ({@link
 * ConnectionAcceptor}) and lane socket ({@link LinkAcceptor}), reads the links and owns the books
 * (docs/adr/0035).
 */
public final class DispatcherRole implements ChildRole {

    private static final System.Logger LOG = System.getLogger(DispatcherRole.class.getName());
    /** Connections held at most (queued plus in flight); beyond, the kernel backlog holds them. */
    static final int ROOM = 128;
    private static final long JOIN_MARGIN_MS = 2_000;

    /** For {@link java.util.ServiceLoader}. */
    public DispatcherRole() {
    }

    @Override
    public String name() {
        return "dispatcher";
    }

    @Override
    public int serve(Child child) throws InterruptedException {
        ControlMessage.Assignment assignment = child.assignment();
        int[] fds = child.fds();
        List<ControlMessage.Lane> lanes = lanes(assignment);
        if (lanes.isEmpty() || fds.length != assignment.listeners().size() + lanes.size()) {
            FileDescriptors.closeAll(fds);
            throw new ControlException("expected a dispatcher's assignment, got " + assignment);
        }
        String who = child.who() + " dispatcher";
        WorkerSlot slot = child.slot();
        Tenants tenants = Tenants.of(assignment, child);
        LaneSorter sorter = tenants.sorter(assignment.pool(), slot);
        List<ConnectionAcceptor> acceptors = new ArrayList<>();
        List<TcpListener> listeners = new ArrayList<>();
        for (int i = 0; i < assignment.listeners().size(); i++) {
            TcpListener listener = TcpListener.adopt(fds[i]);
            listeners.add(listener);
            acceptors.add(new ConnectionAcceptor(listener, assignment.listeners().get(i).service(), sorter));
        }
        List<SeqpacketServer> servers = new ArrayList<>();
        List<LinkAcceptor> linkAcceptors = new ArrayList<>();
        for (int i = 0; i < lanes.size(); i++) {
            ControlMessage.Lane lane = lanes.get(i);
            SeqpacketServer server = SeqpacketServer.adopt(fds[assignment.listeners().size() + i], Path.of(lane.socket()));
            servers.add(server);
            linkAcceptors.add(new LinkAcceptor(server, lane.pool(), child.scoreboard()));
        }
        slot.attach(ProcessHandle.current().pid(), 1);
        DispatchAgent agent = new DispatchAgent(new DispatchAgent.Sources(acceptors, linkAcceptors, ROOM, tenants::owners),
                new Lanes(lanes.stream().map(ControlMessage.Lane::pool).toList()), slot, child.clock(),
                () -> System.exit(1));
        agent.start();
        child.ready();
        LOG.log(Level.INFO, who + " ready: accepting on " + assignment.listeners() + ", lanes " + lanes);

        OptionalLong drain = child.awaitDrain(tenants::update);
        if (drain.isEmpty()) {
            tenants.close();
            return 0;
        }
        slot.state(WorkerState.DRAINING);
        agent.drain(drain.getAsLong());
        if (!agent.join(drain.getAsLong() + JOIN_MARGIN_MS)) {
            LOG.log(Level.WARNING, who + " dispatch thread did not finish; exiting anyway");
            tenants.close();
            return 0;
        }
        listeners.forEach(TcpListener::close);
        servers.forEach(SeqpacketServer::close);
        tenants.close();
        LOG.log(Level.INFO, who + " exiting: accepted " + slot.accepted() + ", handed off " + slot.served());
        return 0;
    }

    /** The assignment's lanes; an assignment without (from a master before lanes) has its pool's one. */
    private static List<ControlMessage.Lane> lanes(ControlMessage.Assignment assignment) {
        if (!assignment.lanes().isEmpty()) {
            return assignment.lanes();
        }
        return assignment.dispatchSocket().isEmpty() ? List.of()
                : List.of(new ControlMessage.Lane(assignment.pool(), assignment.dispatchSocket()));
    }
}
