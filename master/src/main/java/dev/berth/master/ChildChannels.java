package dev.berth.master;

import dev.berth.config.HostConfig;
import dev.berth.control.ControlChannel;
import dev.berth.control.ControlMessage;
import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The children's control connections, seen from the master: admits a connection whose Hello names a
 * child the master started (its token, its scoreboard slot, and the connecting pid must all match),
 * sends that child its assignment, and from then on knows which child a channel belongs to. A
 * child's Ready goes to the supervisor, which decides what it means.
 *
 * <pre>
 *  Hello ok ---&gt; attached (assignment sent) --Ready--&gt; supervisor
 *  Hello bad --&gt; closed                       --disconnect / reaped--&gt; forgotten
 * </pre>
 *
 * <p>A spare's assignment waits until the supervisor promotes it ({@link #assign}); one promoted
 * before its Hello is assigned at the Hello, like any worker.
 *
 * <p>Closes each channel the {@link ControlServer} hands it: a refused one at once, an admitted one
 * when its child is reaped (not when it disconnects: the child exits then, and is reaped). All calls, including
 * the {@link ControlServer.Events} callbacks, run on the supervisor thread, which owns the
 * children; the assignment is one seqpacket write of a few kilobytes, which blocks only if the
 * child's socket buffer were full, and never waits for an answer.
 */
final class ChildChannels implements ControlServer.Events {

    private static final System.Logger LOG = System.getLogger(ChildChannels.class.getName());

    private final ChildStarter starter;
    private final Assignments assignments;
    private final Supplier<HostConfig> config;
    private final Consumer<WorkerProcess> ready;
    private final Map<ControlChannel, WorkerProcess> byChannel = new LinkedHashMap<>();

    /**
     * @param starter finds a child by the token of its Hello
     * @param config the config a child is assigned from: the current one, read at each Hello
     * @param ready told of each Ready from an attached child
     */
    ChildChannels(ChildStarter starter, Assignments assignments, Supplier<HostConfig> config,
                  Consumer<WorkerProcess> ready) {
        this.starter = starter;
        this.assignments = assignments;
        this.config = config;
        this.ready = ready;
    }

    @Override
    public void onHello(ControlChannel channel, ControlMessage.Hello hello) {
        WorkerProcess worker = starter.byToken(hello.token()).orElse(null);
        if (worker == null || worker.slot().index() != hello.slot() || channel.peerPid() != worker.pid()
                || worker.control().isPresent()) {
            LOG.log(Level.WARNING, "refusing control connection from pid " + channel.peerPid() + ": unknown worker");
            channel.close();
            return;
        }
        starter.attached(worker);
        worker.control(channel);
        byChannel.put(channel, worker);
        if (worker.phase() != WorkerProcess.Phase.SPARE) {
            assign(worker);
        }
    }

    /**
     * Sends {@code worker} its assignment under the current config, if it has attached; one that
     * cannot be assigned has its channel closed (it exits, and is reaped as a crash).
     */
    void assign(WorkerProcess worker) {
        worker.control().ifPresent(channel -> {
            try {
                assignments.send(channel, config.get(), worker);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, worker + " could not be assigned: " + e.getMessage());
                channel.close();
            }
        });
    }

    @Override
    public void onReady(ControlChannel channel) {
        WorkerProcess worker = byChannel.get(channel);
        if (worker != null) {
            ready.accept(worker);
        }
    }

    @Override
    public void onFailed(ControlChannel channel, String reason) {
        WorkerProcess worker = byChannel.get(channel);
        if (worker != null) {
            LOG.log(Level.WARNING, worker + " failed: " + reason);
            worker.failure(reason);
        }
    }

    @Override
    public void onDisconnect(ControlChannel channel) {
        WorkerProcess worker = byChannel.remove(channel);
        if (worker == null) {
            channel.close();
        }
        // a worker that closed its control connection exits; reaping happens when the process ends
    }

    /** Forgets and closes the control connection of {@code child}, which was reaped. */
    void closed(WorkerProcess child) {
        child.control().ifPresent(c -> {
            byChannel.remove(c);
            c.close();
        });
    }
}
