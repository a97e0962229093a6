package dev.berth.worker;

import dev.berth.child.Child;
import dev.berth.child.ChildRole;
import dev.berth.control.ControlChannel;
import dev.berth.control.ControlMessage;
import dev.berth.scoreboard.WorkerSlot;
import dev.berth.scoreboard.WorkerState;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The {@code worker} role: serves its pool's connections, from assignment to exit, on the JVM's
 * main thread:
 *
 * <pre>
 *  assignment -&gt; services (config, handlers, listeners) -&gt; event loops -&gt; acceptors
 *    -&gt; Ready -&gt; wait for Drain or end of control stream
 *  Drain: stop acceptors, close listeners, tell handlers, wait for open connections up to the
 *         timeout (woken by the last close), close the loops, exit 0
 *  control stream ends (master gone): the same with a timeout of 0
 * </pre>
 *
 * The main thread owns the lifecycle; event-loop threads serve connections and stamp heartbeats
 * ({@link EventLoops}); acceptor threads take connections ({@link Acceptors}).
 */
public final class WorkerRole implements ChildRole {

    private static final System.Logger LOG = System.getLogger(WorkerRole.class.getName());

    /** For {@link java.util.ServiceLoader}. */
    public WorkerRole() {
    }

    @Override
    public String name() {
        return "worker";
    }

    /**
     * A spare's preparation: the control codec, the config reader and Netty's epoll transport
     * (its native library and a loop started and stopped), which a start would otherwise pay for
     * after the assignment (docs/adr/0033).
     */
    @Override
    public void prepare() {
        ControlChannel.warmUp();
        WorkerServices.warmUp();
        EventLoops.warmUp();
    }

    @Override
    public int serve(Child child) throws InterruptedException {
        WorkerSlot slot = child.slot();
        WorkerServices services = WorkerServices.of(child.assignment(), child.fds(), slot);
        int threads = services.pool().threads();
        slot.attach(ProcessHandle.current().pid(), threads + Acceptors.beats(services));
        try {
            try (EventLoops loops = new EventLoops(threads, services.pool().hangTimeout(), slot, child.clock())) {
                AddressDrains drains = services.pool().group().isPresent() ? new AddressDrains() : null;
                ConnectionIntake intake = new ConnectionIntake(loops.group(), slot, drains);
                AcceptContext context = new AcceptContext(intake, slot, child.clock(),
                        new PeerLoad(child.scoreboard(), slot, child.clock()));
                List<Acceptor> acceptors = Acceptors.of(services, context, loops, threads,
                        new HandoffAcceptor.Source(Path.of(child.assignment().dispatchSocket()), services.handlers(),
                                child.arguments().token(), threads));
                acceptors.forEach(Acceptor::start);
                child.ready();
                LOG.log(Level.INFO, child.who() + " ready: " + threads + " threads, listeners "
                        + child.assignment().listeners());
                drain(child, services, acceptors, intake, child.awaitDrain(message -> {
                    if (drains != null && message instanceof ControlMessage.AddressDrain drain) {
                        drains.drain(java.net.InetAddress.ofLiteral(drain.address()), drain.timeoutMillis());
                        return true;
                    }
                    return false;
                }).orElse(0));
            }
        } finally {
            services.closeHandlers();
        }
        LOG.log(Level.INFO, child.who() + " exiting: served " + slot.served() + ", accepted " + slot.accepted());
        return 0;
    }

    /** Stops taking connections and lets the open ones finish within {@code millis}. */
    private static void drain(Child child, WorkerServices services, List<Acceptor> acceptors, ConnectionIntake intake,
                              long millis) throws InterruptedException {
        child.slot().state(WorkerState.DRAINING);
        acceptors.forEach(Acceptor::stop);
        for (Acceptor acceptor : acceptors) {
            acceptor.join();
        }
        services.closeListeners();
        services.drain();
        if (!intake.awaitIdle(Duration.ofMillis(millis))) {
            LOG.log(Level.WARNING, child.who() + " drain timeout: closing " + child.slot().active() + " connections");
        }
    }
}
