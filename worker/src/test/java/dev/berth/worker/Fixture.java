package dev.berth.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.posix.TcpListener;
import dev.berth.scoreboard.Scoreboard;
import dev.berth.scoreboard.WorkerSlot;
import dev.berth.scoreboard.WorkerState;
import dev.berth.service.EchoKind;
import dev.berth.service.ServiceContext;
import dev.berth.service.ServiceHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A worker's insides for acceptor tests: a real scoreboard (slot 0 is this worker, the others its
 * siblings), real event loops serving the echo kind, a clock moved by hand.
 */
final class Fixture implements AutoCloseable {

    static final long GROUP = WorkerSlot.groupOf("WORKER", "web");
    static final int THREADS = 1;
    static final Duration ACCEPT_TIMEOUT = Duration.ofMillis(50);

    final AtomicLong now = new AtomicLong(1_000_000);
    final Scoreboard scoreboard;
    final WorkerSlot slot;
    final EventLoops loops;
    final ConnectionIntake intake;
    final ServiceHandler echo;
    final AcceptContext context;

    Fixture(Path dir) {
        scoreboard = Scoreboard.create(dir.resolve("scoreboard"), 4);
        slot = scoreboard.slot(0);
        slot.assign(11, GROUP);
        slot.attach(ProcessHandle.current().pid(), THREADS + 1);
        slot.state(WorkerState.READY);
        loops = new EventLoops(THREADS, Duration.ofSeconds(2), slot, now::get);
        intake = new ConnectionIntake(loops.group(), slot);
        echo = new EchoKind().newHandler(null, new ServiceContext("echo", slot::requestServed));
        context = new AcceptContext(intake, slot, now::get, new PeerLoad(scoreboard, slot, now::get));
    }

    /** A listening socket on loopback whose accept waits at most {@link #ACCEPT_TIMEOUT}. */
    static TcpListener listener() {
        TcpListener listener = TcpListener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16, false);
        listener.acceptTimeout(ACCEPT_TIMEOUT);
        return listener;
    }

    /** A sibling worker of the same pool in slot {@code index}, ready, with {@code active} connections. */
    WorkerSlot sibling(int index, int active) {
        WorkerSlot sibling = scoreboard.slot(index);
        sibling.assign(20 + index, GROUP);
        sibling.attach(1_000 + index, 1);
        sibling.beat(0, now.get());
        sibling.state(WorkerState.READY);
        for (int i = 0; i < active; i++) {
            sibling.connectionAccepted();
        }
        return sibling;
    }

    /** Connects, sends a line and expects it echoed: the connection was taken and is served. */
    static Socket echoes(InetSocketAddress address, String line) {
        try {
            Socket socket = new Socket(address.getAddress(), address.getPort());
            echo(socket, line);
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends a line on a connected socket and expects it back within 10 s. */
    static void echo(Socket socket, String line) {
        try {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            byte[] back = in.readNBytes(line.length() + 1);
            assertThat(new String(back, StandardCharsets.US_ASCII)).isEqualTo(line + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        loops.close();
        scoreboard.close();
    }
}
