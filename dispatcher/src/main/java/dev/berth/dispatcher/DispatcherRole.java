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

/**
 * The {@code dispatcher} role, the accepting process of an {@code accept: handoff} pool, from
 * assignment to exit, on the JVM's main thread:
 *
 * <pre>
 *  assignment (listener fds + dispatch socket fd) -&gt; start threads
 *    -&gt; Ready -&gt; wait for Drain or end of control stream
 *  Drain: stop accepting, close the listener copies, hand off what is held, exit 0 when nothing is
 *         queued or in flight (at the latest at the drain timeout)
 *  control stream ends (master gone): exit at once
 * </pre>
 *
 * Threads: the {@link DispatchAgent} (heartbeat entry 0) owns the queue and the links; the {@link
 * LinkAcceptor} (entry 1) takes worker links; {@value #ACCEPTORS_PER_LISTENER} {@link
 * ConnectionAcceptor}s per listener (entries 2..) accept, so one can hand a connection over while
 * another already waits in accept.
 */
public final class DispatcherRole implements ChildRole {

    private static final System.Logger LOG = System.getLogger(DispatcherRole.class.getName());
    /** Connections held at most (queued plus in flight); beyond, the kernel backlog holds them. */
    static final int ROOM = 128;
    static final int ACCEPTORS_PER_LISTENER = 2;
    private static final int FIRST_ACCEPTOR_BEAT = 2;
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
        if (assignment.dispatchSocket().isEmpty() || fds.length != assignment.listeners().size() + 1) {
            FileDescriptors.closeAll(fds);
            throw new ControlException("expected a dispatcher's assignment, got " + assignment);
        }
        String who = child.who() + " dispatcher";
        WorkerSlot slot = child.slot();
        List<ConnectionAcceptor.Config> configs = acceptorConfigs(assignment, fds);
        SeqpacketServer links = SeqpacketServer.adopt(fds[fds.length - 1], Path.of(assignment.dispatchSocket()));
        slot.attach(ProcessHandle.current().pid(), FIRST_ACCEPTOR_BEAT + configs.size());

        Semaphore room = new Semaphore(ROOM);
        DispatchAgent agent = new DispatchAgent(room, slot, 0, child.clock(), () -> System.exit(1));
        LinkAcceptor linkAcceptor = new LinkAcceptor(links, child.scoreboard(), agent, slot, 1, child.clock());
        List<ConnectionAcceptor> acceptors = new ArrayList<>();
        configs.forEach(c -> acceptors.add(new ConnectionAcceptor(c, room, agent, slot, child.clock())));
        agent.start();
        linkAcceptor.start();
        acceptors.forEach(ConnectionAcceptor::start);
        child.ready();
        LOG.log(Level.INFO, who + " ready: " + acceptors.size() + " accept threads on " + assignment.listeners()
                + ", workers link at " + assignment.dispatchSocket());

        OptionalLong drain = child.awaitDrain();
        if (drain.isEmpty()) {
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
        linkAcceptor.stop();
        linkAcceptor.join();
        links.close();
        LOG.log(Level.INFO, who + " exiting: accepted " + slot.accepted() + ", handed off " + slot.served());
        return 0;
    }

    /** One config per accept thread, {@value #ACCEPTORS_PER_LISTENER} per listener, fewer if beats run short. */
    private static List<ConnectionAcceptor.Config> acceptorConfigs(ControlMessage.Assignment assignment, int[] fds) {
        int listeners = assignment.listeners().size();
        int perListener = Math.min(ACCEPTORS_PER_LISTENER,
                (ScoreboardDescriptor.MAX_BEATS - FIRST_ACCEPTOR_BEAT) / Math.max(1, listeners));
        if (perListener < 1) {
            FileDescriptors.closeAll(fds);
            throw new ControlException("a dispatcher serves at most "
                    + (ScoreboardDescriptor.MAX_BEATS - FIRST_ACCEPTOR_BEAT) + " listeners, got " + listeners);
        }
        List<ConnectionAcceptor.Config> configs = new ArrayList<>();
        for (int i = 0; i < listeners; i++) {
            TcpListener listener = TcpListener.adopt(fds[i]);
            for (int n = 0; n < perListener; n++) {
                configs.add(new ConnectionAcceptor.Config(listener, assignment.listeners().get(i).service(),
                        FIRST_ACCEPTOR_BEAT + configs.size()));
            }
        }
        return configs;
    }
}
