package dev.berth.worker;

import dev.berth.config.AcceptStrategy;
import dev.berth.config.ConfigLoader;
import dev.berth.config.AcceptStrategy;
import dev.berth.config.HostConfig;
import dev.berth.config.PoolConfig;
import dev.berth.config.ServiceConfig;
import dev.berth.control.ControlChannel;
import dev.berth.control.ControlException;
import dev.berth.control.ControlMessage;
import dev.berth.posix.AcceptLock;
import dev.berth.posix.FileDescriptors;
import dev.berth.posix.TcpListener;
import dev.berth.scoreboard.Scoreboard;
import dev.berth.scoreboard.WorkerSlot;
import dev.berth.scoreboard.WorkerState;
import dev.berth.service.ServiceHandler;
import dev.berth.service.ServiceKinds;
import dev.berth.service.ServiceSettings;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.util.concurrent.EventExecutor;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One worker process, from attach to exit, run on the JVM's main thread:
 *
 * <pre>
 *  attach slot -&gt; Hello -&gt; Assignment (config + listener fds, or the dispatch socket of a
 *    handoff pool) -&gt; start loops and acceptors
 *    -&gt; Ready -&gt; wait for Drain or end of control stream
 *  Drain: stop acceptors, tell handlers, wait for open connections up to the timeout, exit 0
 *  control stream ends (master gone): stop at once, exit 0
 * </pre>
 *
 * The main thread owns the lifecycle; event-loop threads serve connections and stamp heartbeats;
 * acceptor threads take connections (see {@link SharedAcceptor}, {@link MutexAcceptor}, {@link
 * HandoffAcceptor}).
 */
final class Worker {

    private static final System.Logger LOG = System.getLogger(Worker.class.getName());
    private static final long BEAT_PERIOD_MS = 100;

    private final WorkerArguments arguments;

    Worker(WorkerArguments arguments) {
        this.arguments = arguments;
    }

    /** Runs the worker; returns the process exit status. */
    int run() throws InterruptedException {
        try (Scoreboard scoreboard = Scoreboard.open(arguments.scoreboard());
             ControlChannel control = ControlChannel.connect(arguments.control())) {
            WorkerSlot slot = scoreboard.claim(arguments.slot(), arguments.token());
            ControlChannel.Assigned assigned = control.hello(arguments.slot(), arguments.token());
            return serve(assigned.assignment(), assigned.fds(), new PeerLoad(scoreboard, slot), slot, control);
        }
    }

    private int serve(ControlMessage.Assignment assignment, int[] fds, PeerLoad peers, WorkerSlot slot,
                      ControlChannel control)
            throws InterruptedException {
        ServiceKinds kinds = ServiceKinds.installed();
        HostConfig config = ConfigLoader.parse(Path.of(assignment.configFile()), assignment.configText(), kinds.names());
        Map<String, ServiceSettings> settings = kinds.settings(config);
        PoolConfig pool = config.pool(assignment.pool())
                .orElseThrow(() -> new ControlException("assigned to unknown pool " + assignment.pool()));
        String who = "pool=" + pool.name() + " id=" + assignment.workerId() + " gen=" + assignment.generation();
        boolean handoff = pool.accept() == AcceptStrategy.HANDOFF;
        if (fds.length != (handoff ? 0 : assignment.listeners().size())) {
            FileDescriptors.closeAll(fds);
            throw new ControlException("assignment of " + assignment.listeners().size() + " listeners came with "
                    + fds.length + " fds");
        }
        int threads = pool.threads();
        slot.attach(ProcessHandle.current().pid(), threads + (handoff ? 1 : fds.length));

        MultiThreadIoEventLoopGroup loops = new MultiThreadIoEventLoopGroup(threads, EpollIoHandler.newFactory());
        stampHeartbeats(loops, slot);
        Map<String, ServiceHandler> handlers = new LinkedHashMap<>();
        for (ControlMessage.Listener l : assignment.listeners()) {
            ServiceConfig service = config.services().stream().filter(s -> s.name().equals(l.service()))
                    .findFirst().orElseThrow(() -> new ControlException("unknown service " + l.service()));
            handlers.computeIfAbsent(service.name(), n -> CountingHandler.counting(n, slot, kinds.kind(service.kind())
                    .newHandler(settings.get(n), CountingHandler.context(n, slot))));
        }
        List<ListenerBinding> bindings = new ArrayList<>();
        for (int i = 0; i < fds.length; i++) {
            String service = assignment.listeners().get(i).service();
            bindings.add(new ListenerBinding(service, TcpListener.adopt(fds[i]), handlers.get(service)));
        }
        ConnectionIntake intake = new ConnectionIntake(loops, slot);
        List<Acceptor> acceptors = handoff
                ? List.of(new HandoffAcceptor(new HandoffAcceptor.Source(Path.of(assignment.dispatchSocket()),
                        handlers, arguments.token(), threads), intake, slot, threads))
                : acceptors(pool, config, bindings, intake, slot, threads, peers);
        acceptors.forEach(Acceptor::start);
        slot.state(WorkerState.READY);
        control.send(new ControlMessage.Ready());
        LOG.log(Level.INFO, who + " ready: " + threads + " threads, listeners " + assignment.listeners());

        long drainMillis = awaitDrainOrMasterExit(control, who);
        slot.state(WorkerState.DRAINING);
        acceptors.forEach(Acceptor::stop);
        for (Acceptor acceptor : acceptors) {
            acceptor.join();
        }
        bindings.forEach(b -> b.listener().close());
        handlers.values().forEach(ServiceHandler::onDrain);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(drainMillis);
        while (slot.active() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        if (slot.active() > 0) {
            LOG.log(Level.WARNING, who + " drain timeout: closing " + slot.active() + " connections");
        }
        loops.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).await(5, TimeUnit.SECONDS);
        handlers.values().forEach(ServiceHandler::close);
        LOG.log(Level.INFO, who + " exiting: served " + slot.served() + ", accepted " + slot.accepted());
        return 0;
    }

    /** The pool's accept strategy, worker side; beat entries after the event loops' are the acceptors'. */
    private static List<Acceptor> acceptors(PoolConfig pool, HostConfig config, List<ListenerBinding> bindings,
                                            ConnectionIntake intake, WorkerSlot slot, int firstBeat,
                                            PeerLoad peers) {
        return switch (pool.accept()) {
            case SHARED, REUSEPORT -> {
                List<Acceptor> list = new ArrayList<>();
                for (int i = 0; i < bindings.size(); i++) {
                    list.add(new SharedAcceptor(bindings.get(i), intake, slot, firstBeat + i,
                            pool.accept() == AcceptStrategy.SHARED ? Optional.of(peers) : Optional.empty()));
                }
                yield list;
            }
            case MUTEX -> List.of(new MutexAcceptor(bindings,
                    AcceptLock.open(config.master().runDir().resolve("accept-" + pool.name() + ".lock")),
                    intake, slot, firstBeat, peers));
            case HANDOFF -> throw new IllegalArgumentException("a handoff worker takes no listeners");
        };
    }

    /** Blocks until the master asks for a drain (its timeout) or goes away (0: stop now). */
    private static long awaitDrainOrMasterExit(ControlChannel control, String who) {
        while (true) {
            Optional<ControlChannel.Received> received = control.receive();
            if (received.isEmpty()) {
                LOG.log(Level.WARNING, who + " master is gone; stopping");
                return 0;
            }
            FileDescriptors.closeAll(received.get().fds());
            if (received.get().message() instanceof ControlMessage.Drain drain) {
                LOG.log(Level.INFO, who + " draining, up to " + drain.timeoutMillis() + " ms");
                return drain.timeoutMillis();
            }
            LOG.log(Level.WARNING, who + " ignoring unexpected control message " + received.get().message());
        }
    }

    /**
     * Every event loop stamps its own heartbeat entry, so one stuck loop shows as a hang; the
     * first loop also samples the loops' CPU use for the pool's sizing.
     */
    private static void stampHeartbeats(MultiThreadIoEventLoopGroup loops, WorkerSlot slot)
            throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        int beat = 0;
        for (EventExecutor executor : loops) {
            int mine = beat++;
            EventLoop loop = (EventLoop) executor;
            threads.add(loop.submit(Thread::currentThread).syncUninterruptibly().getNow());
            loop.scheduleAtFixedRate(() -> slot.beat(mine, System.nanoTime() / 1_000_000),
                    0, BEAT_PERIOD_MS, TimeUnit.MILLISECONDS);
        }
        LoadMeter meter = new LoadMeter(threads, slot);
        loops.next().scheduleAtFixedRate(meter::sample, LoadMeter.PERIOD_MS, LoadMeter.PERIOD_MS, TimeUnit.MILLISECONDS);
    }
}
