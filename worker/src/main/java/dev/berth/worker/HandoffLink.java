package dev.berth.worker;

import dev.berth.control.ControlChannel;
import dev.berth.control.ControlException;
import dev.berth.control.ControlMessage;
import dev.berth.posix.FileDescriptors;
import dev.berth.posix.PosixException;
import dev.berth.service.ServiceHandler;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * A worker's link to its dispatcher, served inside an event loop (docs/adr/0035): when the link is
 * readable the loop reads every batch that is waiting (up to {@value #READS} messages), counts their
 * connections as open (those of known services), acks them all with one {@link ControlMessage.Ack} that also grants their count
 * as credit again, and only then takes their connections, on the loops in turn (at once for its own loop). From the ack on, the
 * worker owns them and the dispatcher closes its copies (docs/adr/0005).
 *
 * <p>If the ack cannot be sent, the link is over and what is left on it decides: after a stop, or
 * with the dispatcher's Revoke among it, the dispatcher takes the batches back when it sees the link
 * end, so the worker closes its copies; a bare end means the dispatcher died and nobody else holds
 * them, so the worker keeps them. A bad message from the dispatcher ends the link without acking it:
 * the dispatcher puts back what was not acked.
 *
 * <p>Every call but {@link #register} runs on the loop's thread. The link's end (read, or the
 * loop's shutdown) completes the future {@link #register} returned, after the registration is
 * cancelled; the caller then closes the link.
 */
final class HandoffLink implements EpollIoHandle {

    private static final System.Logger LOG = System.getLogger(HandoffLink.class.getName());
    static final int READS = 64;
    /** The longest message the dispatcher sends on the link; a handoff of 32 is well under it. */
    static final int MESSAGE_BYTES = 8192;

    private final ControlChannel channel;
    private final Map<String, ServiceHandler> handlers;
    private final ConnectionIntake intake;
    private final BooleanSupplier running;
    private final FileDescriptor fd;
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private IoRegistration registration;

    /** A batch received and not yet acked. */
    private record Batch(ControlMessage.Handoff handoff, int[] fds) {
    }

    /**
     * @param channel the link, after Hello and the first credit; the caller keeps and closes it
     * @param running false once the worker stops: then an ack that fails gives the batches back
     */
    HandoffLink(ControlChannel channel, Map<String, ServiceHandler> handlers, ConnectionIntake intake,
                BooleanSupplier running) {
        this.channel = channel;
        this.handlers = handlers;
        this.intake = intake;
        this.running = running;
        this.fd = new FileDescriptor(channel.fd());
    }

    /** Puts the link into {@code loop}'s epoll set; the future completes when the loop is done with it. */
    CompletableFuture<Void> register(IoEventLoop loop) {
        loop.register(this).addListener(f -> {
            if (!f.isSuccess()) {
                ended.completeExceptionally(f.cause());
                return;
            }
            registration = (IoRegistration) f.getNow();
            registration.submit(EpollIoOps.EPOLLIN.with(EpollIoOps.EPOLLRDHUP));
        });
        return ended;
    }

    @Override
    public FileDescriptor fd() {
        return fd;
    }

    @Override
    public void handle(IoRegistration registration, IoEvent event) {
        try {
            if (!readBatches()) {
                end();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "the link to the dispatcher failed: " + e.getMessage());
            channel.shutdown();
            end();
        }
    }

    /** Reads, acks and takes what is waiting; false when the link is over. */
    private boolean readBatches() {
        List<Batch> batches = new ArrayList<>();
        boolean open = true;
        boolean revoked = false;
        for (int n = 0; n < READS && open; n++) {
            Optional<ControlChannel.Received> received;
            try {
                received = channel.receiveNow(MESSAGE_BYTES);
            } catch (ControlException e) {
                LOG.log(Level.WARNING, "ending the link: " + e.getMessage());
                channel.shutdown();
                open = false;
                break;
            }
            if (received.isEmpty()) {
                open = !channel.ended();
                break;
            }
            int[] fds = received.get().fds();
            switch (received.get().message()) {
                case ControlMessage.Handoff h when h.services().size() == fds.length -> batches.add(new Batch(h, fds));
                case ControlMessage.Revoke r -> {
                    FileDescriptors.closeAll(fds);
                    LOG.log(Level.WARNING, "the dispatcher ended the link (an ack was overdue); linking again");
                    revoked = true;
                    open = false;
                }
                default -> {
                    FileDescriptors.closeAll(fds);
                    LOG.log(Level.WARNING, "ending the link: unexpected " + received.get().message() + " with "
                            + fds.length + " fds");
                    channel.shutdown();
                    open = false;
                }
            }
        }
        if (batches.isEmpty()) {
            return open;
        }
        // an ack that gets through is read by the dispatcher before the end of the link, Revoke or not
        if (!ack(batches)) {
            settle(batches, revoked);
            return false;
        }
        batches.forEach(b -> takeAll(b, true));
        return open;
    }

    /**
     * Counts the batches' connections of known services as open (the dispatcher judges the worker by
     * that count once it reads the ack), then acks every batch.
     */
    private boolean ack(List<Batch> batches) {
        int count = batches.stream().mapToInt(b -> b.fds().length).sum();
        int known = (int) batches.stream().flatMap(b -> b.handoff().services().stream())
                .filter(handlers::containsKey).count();
        intake.count(known, batches.getLast().handoff().batch());
        try {
            channel.send(new ControlMessage.Ack(batches.getLast().handoff().batch(), count));
            return true;
        } catch (PosixException e) {
            intake.uncount(known);
            return false;
        }
    }

    /**
     * After an ack could not be sent: decides who owns the batches not acked. If this worker stopped,
     * or the dispatcher's Revoke was read or is among what is left on the link, the dispatcher takes them back and
     * the worker closes its copies; if the link just ends, the dispatcher died with its copies and the
     * worker keeps them.
     */
    private void settle(List<Batch> unacked, boolean revokeRead) {
        channel.shutdown();
        List<Batch> batches = new ArrayList<>(unacked);
        boolean revoked = revokeRead || !running.getAsBoolean();
        while (true) {
            Optional<ControlChannel.Received> r;
            try {
                r = channel.receiveNow(MESSAGE_BYTES);
            } catch (ControlException e) {
                continue;
            } catch (PosixException e) {
                break;
            }
            if (r.isEmpty()) {
                break;
            }
            if (r.get().message() instanceof ControlMessage.Handoff h && h.services().size() == r.get().fds().length) {
                batches.add(new Batch(h, r.get().fds()));
            } else {
                revoked |= r.get().message() instanceof ControlMessage.Revoke;
                FileDescriptors.closeAll(r.get().fds());
            }
        }
        for (Batch b : batches) {
            if (revoked) {
                FileDescriptors.closeAll(b.fds());
            } else {
                takeAll(b, false);
            }
        }
    }

    /** Hands each connection to its service on the loops; {@code counted}: by {@link #ack} already. */
    private void takeAll(Batch batch, boolean counted) {
        for (int i = 0; i < batch.fds().length; i++) {
            String service = batch.handoff().services().get(i);
            ServiceHandler handler = handlers.get(service);
            if (handler == null) {
                LOG.log(Level.WARNING, "connection for unknown service " + service + "; closing it");
                FileDescriptors.close(batch.fds()[i]);
            } else if (counted) {
                intake.takeCounted(batch.fds()[i], handler);
            } else {
                intake.take(batch.fds()[i], handler);
            }
        }
    }

    private void end() {
        if (registration != null) {
            registration.cancel();
        }
        ended.complete(null);
    }

    /** Netty's call when the loop shuts down: the link is the caller's to close. */
    @Override
    public void close() {
        ended.complete(null);
    }
}
