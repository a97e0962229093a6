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

/**
 * Accepts workers' control connections on {@code run/worker.sock} and reads what they say, one
 * platform thread per connection (a worker sends three messages in its life, so threads are
 * cheap here and keep the code blocking and plain). Everything read is handed to the supervisor as
 * a command on its inbox; this class decides nothing.
 */
final class ControlServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ControlServer.class.getName());

    /** What the supervisor is told. All calls arrive on the supervisor thread via its inbox. */
    interface Events {
        void onHello(ControlChannel channel, ControlMessage.Hello hello);

        void onReady(ControlChannel channel);

        void onDisconnect(ControlChannel channel);
    }

    private final SeqpacketServer server;
    private final Events events;
    private final Consumer<Runnable> inbox;
    private final Thread acceptor;

    /**
     * Listens at {@code path} and starts accepting.
     *
     * @param inbox runs a command on the supervisor thread
     */
    ControlServer(Path path, Events events, Consumer<Runnable> inbox) {
        this.server = SeqpacketServer.listen(path, Duration.ofMillis(250));
        this.events = events;
        this.inbox = inbox;
        this.acceptor = Thread.ofPlatform().daemon().name("control-accept").start(this::acceptLoop);
    }

    Path path() {
        return server.path();
    }

    private void acceptLoop() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Optional<ControlChannel> channel = server.accept().map(ControlChannel::new);
                channel.ifPresent(c -> Thread.ofPlatform().daemon().name("control-read").start(() -> read(c)));
            } catch (RuntimeException e) {
                if (!closed) {
                    LOG.log(Level.WARNING, "control accept failed: " + e.getMessage());
                }
                return;
            }
        }
    }

    private volatile boolean closed;

    private void read(ControlChannel channel) {
        try {
            while (true) {
                Optional<ControlChannel.Received> received = channel.receive();
                if (received.isEmpty()) {
                    break;
                }
                FileDescriptors.closeAll(received.get().fds());
                switch (received.get().message()) {
                    case ControlMessage.Hello hello -> inbox.accept(() -> events.onHello(channel, hello));
                    case ControlMessage.Ready ready -> inbox.accept(() -> events.onReady(channel));
                    default -> LOG.log(Level.WARNING, "ignoring " + received.get().message() + " from a worker");
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "control connection failed: " + e.getMessage());
        }
        inbox.accept(() -> events.onDisconnect(channel));
    }

    /** Stops accepting and removes the socket file; open connections stay until their workers exit. */
    @Override
    public void close() {
        closed = true;
        acceptor.interrupt();
        server.close();
    }
}
