package dev.berth.dispatcher;

import dev.berth.child.Child;
import dev.berth.child.ChildRole;
import dev.berth.control.ControlException;
import dev.berth.control.ControlMessage;
import dev.berth.posix.FileDescriptors;
import dev.berth.posix.SeqpacketServer;
import dev.berth.posix.TcpListener;
import dev.berth.scoreboard.ScoreboardDescriptor;
import dev.berth.scoreboard.WorkerSlot;
import dev.berth.scoreboard.WorkerState;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

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
 * a tenant group's {@code POOL@GROUP}; each has its own dispatch socket and book. Threads: the
 * {@link DispatchAgent} (heartbeat entry 0) owns the books and the links; one {@link LinkAcceptor}
 * per lane (entries 1..L) takes that lane's worker links; {@value #ACCEPTORS_PER_LISTENER} {@link
 * ConnectionAcceptor}s per listener (entries L+1..) accept and classify, so one can hand a
 * connection over while another already waits in accept.
 */
public final class DispatcherRole implements ChildRole {

    private static final System.Logger LOG = System.getLogger(DispatcherRole.class.getName());
    /** Connections held at most (queued plus in flight); beyond, the kernel backlog holds them. */
    static final int ROOM = 128;
    static final int ACCEPTORS_PER_LISTENER = 2;
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
        int firstAcceptorBeat = 1 + lanes.size();
        List<ConnectionAcceptor.Config> configs = acceptorConfigs(assignment, fds, firstAcceptorBeat);
        Tenants tenants = Tenants.of(assignment, child);
        slot.attach(ProcessHandle.current().pid(), firstAcceptorBeat + configs.size());

        Semaphore room = new Semaphore(ROOM);
        DispatchAgent agent = new DispatchAgent(new Lanes(lanes.stream().map(ControlMessage.Lane::pool).toList()),
                room, slot, 0, child.clock(), () -> System.exit(1));
        List<LinkAcceptor> linkAcceptors = new ArrayList<>();
        List<SeqpacketServer> servers = new ArrayList<>();
        AtomicInteger links = new AtomicInteger(1);
        for (int i = 0; i < lanes.size(); i++) {
            ControlMessage.Lane lane = lanes.get(i);
            SeqpacketServer server = SeqpacketServer.adopt(fds[assignment.listeners().size() + i], Path.of(lane.socket()));
            servers.add(server);
            linkAcceptors.add(new LinkAcceptor(new LinkAcceptor.Lane(server, lane.pool(), 1 + i, links),
                    child.scoreboard(), agent, slot, child.clock()));
        }
        LaneSorter sorter = tenants.sorter(assignment.pool(), slot);
        List<ConnectionAcceptor> acceptors = new ArrayList<>();
        configs.forEach(c -> acceptors.add(new ConnectionAcceptor(c, room, agent, slot, child.clock(), sorter,
                tenants::owners)));
        agent.start();
        linkAcceptors.forEach(LinkAcceptor::start);
        acceptors.forEach(ConnectionAcceptor::start);
        child.ready();
        LOG.log(Level.INFO, who + " ready: " + acceptors.size() + " accept threads on " + assignment.listeners()
                + ", lanes " + lanes);

        OptionalLong drain = child.awaitDrain(tenants::update);
        if (drain.isEmpty()) {
            tenants.close();
            return 0;
        }
        slot.state(WorkerState.DRAINING);
        acceptors.forEach(ConnectionAcceptor::stop);
        for (ConnectionAcceptor acceptor : acceptors) {
            acceptor.join();
        }
        configs.stream().map(ConnectionAcceptor.Config::listener).distinct().forEach(TcpListener::close);
        agent.post(new DispatchEvent.Drain(drain.getAsLong()));
        if (!agent.join(drain.getAsLong() + JOIN_MARGIN_MS)) {
            LOG.log(Level.WARNING, who + " dispatch thread did not finish; exiting anyway");
        }
        linkAcceptors.forEach(LinkAcceptor::stop);
        for (LinkAcceptor linkAcceptor : linkAcceptors) {
            linkAcceptor.join();
        }
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

    /** One config per accept thread, {@value #ACCEPTORS_PER_LISTENER} per listener, fewer if beats run short. */
    private static List<ConnectionAcceptor.Config> acceptorConfigs(ControlMessage.Assignment assignment, int[] fds,
                                                                   int firstBeat) {
        int listeners = assignment.listeners().size();
        int perListener = Math.min(ACCEPTORS_PER_LISTENER,
                (ScoreboardDescriptor.MAX_BEATS - firstBeat) / Math.max(1, listeners));
        if (perListener < 1) {
            FileDescriptors.closeAll(fds);
            throw new ControlException("a dispatcher serves at most "
                    + (ScoreboardDescriptor.MAX_BEATS - firstBeat) + " listeners, got " + listeners);
        }
        List<ConnectionAcceptor.Config> configs = new ArrayList<>();
        for (int i = 0; i < listeners; i++) {
            TcpListener listener = TcpListener.adopt(fds[i]);
            for (int n = 0; n < perListener; n++) {
                configs.add(new ConnectionAcceptor.Config(listener, assignment.listeners().get(i).service(),
                        firstBeat + configs.size()));
            }
        }
        return configs;
    }
}
