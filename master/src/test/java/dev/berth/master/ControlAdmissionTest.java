package dev.berth.master;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.control.ControlChannel;
import dev.berth.control.ControlMessage;
import dev.berth.posix.Poll;
import dev.berth.posix.PosixException;
import dev.berth.posix.SeqpacketServer;
import dev.berth.posix.SeqpacketSocket;
import dev.berth.testpeers.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control socket's admission with real sockets and a clock moved by hand: only awaited pids
 * get in, a silent one is closed at the Hello timeout, and neither many refused connections nor
 * an Error nor EMFILE stop the accept loop.
 */
class ControlAdmissionTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final long ME = ProcessHandle.current().pid();

    @TempDir
    Path dir;

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final List<ControlMessage.Hello> admitted = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> open = new ArrayList<>();
    private final Map<ControlChannel, SeqpacketSocket> sockets = new HashMap<>();
    private ControlAdmission admission;

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        if (admission != null) {
            admission.close();
        }
    }

    @Test
    void aProcessTheMasterDidNotStartIsClosedAtOnceAndNeverAdmitted() {
        start(pid -> false);

        ControlChannel client = connect();
        try {
            client.send(new ControlMessage.Hello(0, 1));
        } catch (PosixException closedFirst) {
            // the master may close it before the Hello is out
        }

        assertThat(client.receive()).as("the master closes the connection").isEmpty();
        assertThat(admitted).isEmpty();
    }

    @Test
    void anAwaitedChildThatSaysHelloIsAdmitted() {
        start(pid -> pid == ME);

        connect().send(new ControlMessage.Hello(3, 42));

        Await.require("admitted", WAIT, () -> !admitted.isEmpty());
        assertThat(admitted).containsExactly(new ControlMessage.Hello(3, 42));
    }

    @Test
    void anAwaitedChildThatStaysSilentIsClosedAtTheHelloTimeout() {
        start(pid -> pid == ME);
        ControlChannel silent = connect();
        ControlChannel hello = connect();
        hello.send(new ControlMessage.Hello(1, 1));
        Await.require("the first admitted", WAIT, () -> admitted.size() == 1);

        now.addAndGet(ControlAdmission.HELLO_TIMEOUT_MS - 1);
        assertThat(closedWithin(silent, 300)).as("closed before the timeout").isFalse();
        now.addAndGet(1);

        assertThat(closedWithin(silent, WAIT.toMillis())).isTrue();
        assertThat(admitted).hasSize(1);
    }

    @Test
    void aHelloLongerThanAHelloIsRefused() {
        start(pid -> pid == ME);
        SeqpacketSocket raw = SeqpacketSocket.connect(dir.resolve("worker.sock"));
        open.add(raw);

        raw.send(new byte[ControlAdmission.MAX_HELLO + 1]);

        assertThat(raw.receive()).isEmpty();
        assertThat(admitted).isEmpty();
    }

    @Test
    void hundredsOfRefusedConnectionsAddNoThreadAndTheNextChildStillGetsIn() {
        AtomicBoolean childStarted = new AtomicBoolean();
        start(pid -> childStarted.get() && pid == ME);
        int threadsBefore = Thread.activeCount();

        for (int i = 0; i < 500; i++) {
            try (ControlChannel intruder = connect()) {
                assertThat(intruder.receive()).isEmpty();
            }
        }
        assertThat(Thread.activeCount() - threadsBefore).isLessThan(5);
        childStarted.set(true);
        connect().send(new ControlMessage.Hello(7, 7));

        Await.require("the child admitted", WAIT, () -> admitted.size() == 1);
    }

    @Test
    void anErrorInTheAcceptLoopIsWaitedOutAndAdmissionGoesOn() {
        AtomicBoolean first = new AtomicBoolean(true);
        start(pid -> {
            if (first.getAndSet(false)) {
                throw new OutOfMemoryError("test: no room");
            }
            return pid == ME;
        });
        ControlChannel unlucky = connect();
        Await.require("the unlucky connection dropped", WAIT, () -> closedWithin(unlucky, 10));

        connect().send(new ControlMessage.Hello(2, 2));

        Await.require("admitted after the pause", WAIT, () -> pausedFor(ControlAdmission.PAUSE_MS)
                && admitted.size() == 1);
    }

    @Test
    void acceptSurvivesEmfileAndAdmitsOnceDescriptorsAreFreeAgain() throws Exception {
        start(pid -> true);
        List<String> logged = new CopyOnWriteArrayList<>();
        Logger log = Logger.getLogger(ControlAdmission.class.getName());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(capture);
        // started first: starting a process takes descriptors this JVM will not have for a while
        Process clients = new ProcessBuilder("python3", "-c", """
                import socket, sys
                sys.stdin.readline()
                held = []
                for i in range(40):
                    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
                    s.connect(sys.argv[1])
                    held.append(s)
                print("connected", flush=True)
                sys.stdin.readline()
                """, dir.resolve("worker.sock").toString()).redirectErrorStream(true).start();
        // what a master has done by the time it runs: logged through the console handler (whose
        // time zone data is a file) and used a control channel; a class whose first use fails for
        // want of a descriptor fails for the life of the JVM
        Logger.getLogger(ControlAdmissionTest.class.getName()).info("descriptors to be exhausted");
        new ControlChannel(SeqpacketSocket.connect(dir.resolve("worker.sock"))).close();
        Await.require("the silent connection closed", WAIT,
                () -> logged.stream().anyMatch(m -> m.contains("did not open with Hello")));
        // the limit is moved by a helper started now: with the descriptors gone, starting prlimit
        // would fail (EMFILE) and leave this JVM without descriptors for the tests after this one
        try (FdLimit limit = new FdLimit()) {
            long inUse = openFds();
            try {
                limit.set(inUse + 8);
                clients.getOutputStream().write('\n');
                clients.getOutputStream().flush();
                assertThat(new String(clients.getInputStream().readNBytes(10))).isEqualTo("connected\n");
                Await.require("accept to hit EMFILE", WAIT,
                        () -> logged.stream().anyMatch(m -> m.contains("Too many open files")));
                // the clients leave; their connections end, and the master closes its ends
                clients.getOutputStream().write('\n');
                clients.getOutputStream().flush();
                assertThat(clients.waitFor(10, TimeUnit.SECONDS)).isTrue();
                Await.require("descriptors free again", WAIT, () -> openFds() < inUse + 4);
            } finally {
                limit.restore();
            }

            connect().send(new ControlMessage.Hello(9, 9));

            Await.require("admitted after EMFILE", WAIT, () -> pausedFor(ControlAdmission.PAUSE_MS)
                    && admitted.size() == 1);
        } finally {
            log.removeHandler(capture);
            clients.destroyForcibly();
            clients.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * This JVM's soft limit of descriptors, moved by a Python process started once: writing a line
     * to its stdin and reading its answer takes no descriptor, so the limit can be put back even
     * while every descriptor is taken.
     */
    private static final class FdLimit implements AutoCloseable {
        private final Process helper;
        private final long original;

        FdLimit() throws IOException {
            helper = new ProcessBuilder("python3", "-c", """
                    import resource, sys
                    pid = int(sys.argv[1])
                    print(resource.prlimit(pid, resource.RLIMIT_NOFILE)[0], flush=True)
                    for line in sys.stdin:
                        hard = resource.prlimit(pid, resource.RLIMIT_NOFILE)[1]
                        resource.prlimit(pid, resource.RLIMIT_NOFILE, (int(line), hard))
                        print("ok", flush=True)
                    """, Long.toString(ME)).redirectErrorStream(true).start();
            original = Long.parseLong(readLine());
        }

        void set(long soft) throws IOException {
            helper.getOutputStream().write((soft + "\n").getBytes());
            helper.getOutputStream().flush();
            assertThat(readLine()).isEqualTo("ok");
        }

        void restore() throws IOException {
            set(original);
        }

        private String readLine() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c = helper.getInputStream().read(); c != '\n'; c = helper.getInputStream().read()) {
                if (c < 0) {
                    throw new IOException("the limit helper ended: " + line);
                }
                line.append((char) c);
            }
            return line.toString();
        }

        @Override
        public void close() throws InterruptedException {
            helper.destroy();
            helper.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Moves the clock on by {@code millis}, as a paused accept waits; true, for use in a poll. */
    private boolean pausedFor(long millis) {
        now.addAndGet(millis);
        return true;
    }

    /** Descriptors open in this process; a large number when even listing them fails (EMFILE). */
    private static long openFds() {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException | RuntimeException full) {
            return Long.MAX_VALUE;
        }
    }

    private void start(LongPredicate awaited) {
        admission = new ControlAdmission(SeqpacketServer.listen(dir.resolve("worker.sock"), Duration.ofMillis(250)),
                awaited, now::get, (channel, hello) -> {
                    open.add(channel);
                    admitted.add(hello);
                });
    }

    private ControlChannel connect() {
        SeqpacketSocket socket = SeqpacketSocket.connect(dir.resolve("worker.sock"));
        ControlChannel channel = new ControlChannel(socket);
        sockets.put(channel, socket);
        open.add(channel);
        return channel;
    }

    /** Whether the master closed {@code channel} within {@code millis}: it turned readable with the end. */
    private boolean closedWithin(ControlChannel channel, long millis) {
        return Poll.readable(new int[] {sockets.get(channel).fd()}, (int) millis)[0] && channel.receive().isEmpty();
    }
}
