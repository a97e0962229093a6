package dev.berth.worker;

import dev.berth.posix.Epoll;
import dev.berth.posix.PosixException;
import io.netty.channel.EventLoop;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.unix.FileDescriptor;
import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;

/**
 * {@code accept: shared} and {@code accept: reuseport}, inside the event loop: one per listener and
 * event loop. The listening socket (non-blocking) sits in the loop's own epoll set, so a connection
 * is accepted and served by the thread the kernel woke, with no hand-over between threads.
 *
 * <p>On a shared socket every loop of every worker waits on the same socket; registered with
 * {@code EPOLLEXCLUSIVE}, a connection wakes one loop that is waiting, not all of them: a busy or
 * stopped worker is not waiting, so it takes nothing, and an idle one does (docs/adr/0022). The
 * kernel wakes the first waiting registration in its list, so after each wake-up the registration
 * moves to the end of the list (delete, add) and the next connection goes to the next idle loop:
 * the FIFO of the blocking {@code accept()} threads this replaces. A worker's own reuseport socket
 * has only its own loops on it.
 *
 * <p>Each wake-up accepts at most {@value #BATCH} connections; more wait for the next round of the
 * loop (the registration is level-triggered). All calls but {@link #start} and {@link #stop} run on
 * the loop's thread; those two only post to it.
 */
final class LoopAcceptor implements Acceptor, EpollIoHandle {

    private static final System.Logger LOG = System.getLogger(LoopAcceptor.class.getName());
    static final int BATCH = 4;
    private static final long STOP_WAIT_SECONDS = 5;

    private final ListenerBinding binding;
    private final ConnectionIntake intake;
    private final IoEventLoop loop;
    private final boolean exclusive;
    private final FileDescriptor fd;
    private final RecycleGate gate;
    private IoRegistration registration;
    private int epfd = -1;

    /**
     * @param loop the event loop that accepts and serves
     * @param exclusive whether other processes' loops wait on the same socket (shared): then it also
     *     stops for good at the worker's recycle limit once a sibling is ready ({@link RecycleGate});
     *     a worker's own reuseport socket is served until the drain
     */
    LoopAcceptor(ListenerBinding binding, AcceptContext context, EventLoop loop, boolean exclusive) {
        this.binding = binding;
        this.intake = context.intake();
        this.gate = new RecycleGate(context.slot(), context.peers().copy());
        this.loop = (IoEventLoop) loop;
        this.exclusive = exclusive;
        this.fd = new FileDescriptor(binding.listener().fd());
    }

    @Override
    public void start() {
        loop.register(this).addListener(f -> {
            if (!f.isSuccess()) {
                LOG.log(Level.ERROR, "cannot register " + binding.service() + " on its event loop: " + f.cause());
                return;
            }
            registration = (IoRegistration) f.getNow();
            epfd = NettyEpoll.fd(loop);
            // Netty added the socket for errors only; in again, readable, exclusive if shared
            Epoll.delete(epfd, fd.intValue());
            arm();
        });
    }

    private void arm() {
        Epoll.add(epfd, fd.intValue(), Epoll.EPOLLIN | (exclusive ? Epoll.EPOLLEXCLUSIVE : 0));
    }

    @Override
    public FileDescriptor fd() {
        return fd;
    }

    @Override
    public void handle(IoRegistration registration, IoEvent event) {
        for (int n = 0; n < BATCH; n++) {
            if (exclusive && !gate.open()) {
                // past the recycle limit with a sibling ready: leave the queue to the siblings
                registration.cancel();
                return;
            }
            int conn;
            try {
                conn = binding.listener().accept();
            } catch (PosixException e) {
                // EMFILE and friends: the connection stays queued; the next round tries again
                LOG.log(Level.WARNING, "accept failed: " + e.getMessage());
                break;
            }
            if (conn < 0) {
                break;
            }
            intake.take(conn, binding.handler(), loop);
        }
        if (exclusive && registration.isValid()) {
            Epoll.delete(epfd, fd.intValue());
            arm();
        }
    }

    @Override
    public void stop() {
        loop.execute(() -> {
            if (registration != null) {
                registration.cancel();
            }
        });
    }

    @Override
    public void join() throws InterruptedException {
        loop.submit(() -> { }).await(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** Netty's call when the loop shuts down; the listening socket belongs to the worker, which closes it. */
    @Override
    public void close() {
    }
}
