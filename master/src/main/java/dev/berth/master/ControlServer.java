package dev.berth.master;

import dev.berth.control.ControlChannel;
import dev.berth.control.ControlMessage;
import dev.berth.posix.FileDescriptors;
import dev.berth.posix.SeqpacketServer;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongPredicate;
import java.util.function.LongSupplier;

/**
 * The children's control socket, {@code run/worker.sock}, and what arrives on it. The socket
 * belongs to the workers' user, so every process of that user can connect; {@link ControlAdmission}
 * keeps such a process from costing the master a thread or memory per connection, and lets
 * through only children the master started. Each admitted child gets one platform thread
 * ("control-read") that reads its Ready or Failed and the end of its stream: a child says a few
 * small messages in its life, so the threads are few and the code stays blocking and plain.
 * Everything read is handed to the supervisor as a command on its inbox; this class decides
 * nothing about children.
 */
final class ControlServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ControlServer.class.getName());
    /** The longest message the master reads from an admitted child (Ready, Failed). */
    static final int MAX_CHILD_MESSAGE = 64 * 1024;

    /** What the supervisor is told. All calls arrive on the supervisor thread via its inbox. */
    interface Events {
        void onHello(ControlChannel channel, ControlMessage.Hello hello);

        void onReady(ControlChannel channel);

        /** The child said why it is about to exit. */
        void onFailed(ControlChannel channel, String reason);

        void onDisconnect(ControlChannel channel);
    }

    private final Events events;
    private final Consumer<Runnable> inbox;
    private final ControlAdmission admission;

    /**
     * Listens at {@code path} and starts admitting.
     *
     * @param inbox runs a command on the supervisor thread
     * @param awaited whether a pid is a child the master started and that has not attached yet;
     *     called on the admission thread, so it must be thread-safe
     * @param clock monotonic milliseconds, for the Hello timeout
     */
    ControlServer(Path path, Events events, Consumer<Runnable> inbox, LongPredicate awaited, LongSupplier clock) {
        this.events = events;
        this.inbox = inbox;
        this.admission = new ControlAdmission(SeqpacketServer.listen(path, Duration.ofMillis(250)), awaited, clock,
                this::admitted);
    }

    Path path() {
        return admission.path();
    }

    /** A connection of a child the master awaits said Hello: the supervisor checks it, a thread reads on. */
    private void admitted(ControlChannel channel, ControlMessage.Hello hello) {
        inbox.accept(() -> events.onHello(channel, hello));
        Thread.ofPlatform().daemon().name("control-read").start(() -> read(channel));
    }

    private void read(ControlChannel channel) {
        try {
            while (true) {
                Optional<ControlChannel.Received> received = channel.receive(MAX_CHILD_MESSAGE);
                if (received.isEmpty()) {
                    break;
                }
                FileDescriptors.closeAll(received.get().fds());
                switch (received.get().message()) {
                    case ControlMessage.Ready ready -> inbox.accept(() -> events.onReady(channel));
                    case ControlMessage.Failed failed -> inbox.accept(() -> events.onFailed(channel, failed.reason()));
                    default -> LOG.log(Level.WARNING, "ignoring " + received.get().message() + " from a child");
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "control connection failed: " + e.getMessage());
        }
        inbox.accept(() -> events.onDisconnect(channel));
    }

    /**
     * Stops admitting, closes the connections not admitted yet and removes the socket file;
     * admitted connections stay until their children exit. Waits for the admission thread.
     */
    @Override
    public void close() {
        admission.close();
    }
}
