package dev.berth.child;

import dev.berth.control.ControlChannel;
import dev.berth.control.ControlException;
import dev.berth.control.ControlMessage;
import dev.berth.posix.FileDescriptors;
import dev.berth.scoreboard.Scoreboard;
import dev.berth.scoreboard.WorkerSlot;
import dev.berth.scoreboard.WorkerState;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/** The {@link Child} that {@link ChildMain} makes: a real scoreboard mapping and control connection. */
final class AttachedChild implements Child {

    private static final System.Logger LOG = System.getLogger(AttachedChild.class.getName());

    private final ChildArguments arguments;
    private final Scoreboard scoreboard;
    private final WorkerSlot slot;
    private final ControlChannel control;
    private final ControlChannel.Received assigned;
    private final LongSupplier clock;

    private AttachedChild(ChildArguments arguments, Scoreboard scoreboard, WorkerSlot slot, ControlChannel control,
                          ControlChannel.Received assigned, LongSupplier clock) {
        this.arguments = arguments;
        this.scoreboard = scoreboard;
        this.slot = slot;
        this.control = control;
        this.assigned = assigned;
        this.clock = clock;
    }

    static Child attach(ChildArguments arguments, LongSupplier clock, Runnable prepare) {
        Scoreboard scoreboard = Scoreboard.open(arguments.scoreboard());
        ControlChannel control = null;
        try {
            WorkerSlot slot = scoreboard.claim(arguments.slot(), arguments.token());
            if (arguments.spare()) {
                // before the Hello: the master counts a spare that has attached as prepared
                prepareQuietly(prepare);
            }
            control = ControlChannel.connect(arguments.control());
            control.send(new ControlMessage.Hello(arguments.slot(), arguments.token()));
            ControlChannel.Received received = control.receive().orElseThrow(
                    () -> new ControlException("master closed the control socket before assigning work"));
            if (!(received.message() instanceof ControlMessage.Assignment)) {
                FileDescriptors.closeAll(received.fds());
                throw new ControlException("expected an assignment, got " + received.message());
            }
            return new AttachedChild(arguments, scoreboard, slot, control, received, clock);
        } catch (RuntimeException e) {
            if (control != null) {
                control.close();
            }
            scoreboard.close();
            throw e;
        }
    }

    /** A spare's preparation only saves time later: a failure of it must not end the spare. */
    private static void prepareQuietly(Runnable prepare) {
        long start = System.nanoTime();
        try {
            prepare.run();
            LOG.log(Level.INFO, "spare prepared in " + (System.nanoTime() - start) / 1_000_000 + " ms; waiting for work");
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "spare could not prepare (it will start slower): " + e);
        }
    }

    @Override
    public ChildArguments arguments() {
        return arguments;
    }

    @Override
    public ControlMessage.Assignment assignment() {
        return (ControlMessage.Assignment) assigned.message();
    }

    @Override
    public int[] fds() {
        return assigned.fds().clone();
    }

    @Override
    public Scoreboard scoreboard() {
        return scoreboard;
    }

    @Override
    public WorkerSlot slot() {
        return slot;
    }

    @Override
    public LongSupplier clock() {
        return clock;
    }

    @Override
    public ControlChannel control() {
        return control;
    }

    @Override
    public String who() {
        ControlMessage.Assignment a = assignment();
        return "pool=" + a.pool() + (a.workerId() == 0 ? "" : " id=" + a.workerId()) + " gen=" + a.generation();
    }

    @Override
    public void ready() {
        slot.state(WorkerState.READY);
        control.send(new ControlMessage.Ready());
    }

    @Override
    public OptionalLong awaitDrain(java.util.function.Predicate<ControlMessage> others) {
        while (true) {
            Optional<ControlChannel.Received> received = control.receive();
            if (received.isEmpty()) {
                LOG.log(Level.WARNING, who() + " master is gone; stopping now");
                return OptionalLong.empty();
            }
            FileDescriptors.closeAll(received.get().fds());
            if (received.get().message() instanceof ControlMessage.Drain drain) {
                LOG.log(Level.INFO, who() + " draining, up to " + drain.timeoutMillis() + " ms");
                return OptionalLong.of(drain.timeoutMillis());
            }
            if (!others.test(received.get().message())) {
                LOG.log(Level.WARNING, who() + " ignoring unexpected control message " + received.get().message());
            }
        }
    }

    @Override
    public void close() {
        try {
            control.close();
        } finally {
            scoreboard.close();
        }
    }
}
