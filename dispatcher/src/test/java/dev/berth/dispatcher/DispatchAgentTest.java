package dev.berth.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.control.ControlChannel;
import dev.berth.control.ControlMessage;
import dev.berth.posix.FileDescriptors;
import dev.berth.posix.SeqpacketServer;
import dev.berth.posix.SeqpacketSocket;
import dev.berth.posix.TcpListener;
import dev.berth.scoreboard.Scoreboard;
import dev.berth.scoreboard.WorkerSlot;
import dev.berth.tenancy.PeerOwners;
import dev.berth.tenancy.RefusalLog;
import dev.berth.tenancy.Refusals;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dispatcher's loop over real sockets, the test playing its workers on the dispatch link and a
 * client on the listener: the frames it sends, the ownership of each connection (its copy is closed
 * only after the ack), and what a link that ends, misbehaves or stops acking gives back.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class DispatchAgentTest {

    private static final long WORKER = WorkerSlot.groupOf("WORKER", "web");

    @TempDir
    Path dir;

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final AtomicBoolean failed = new AtomicBoolean();
    private final Refusals refusals = new Refusals(now::get);
    private final List<AutoCloseable> opened = new ArrayList<>();
    private Scoreboard scoreboard;
    private WorkerSlot self;
    private Path lanePath;
    private TcpListener listener;
    private DispatchAgent agent;

    @BeforeEach
    void setUp() {
        scoreboard = Scoreboard.create(dir.resolve("scoreboard"), 4);
        self = scoreboard.slot(0);
        self.assign(1, WorkerSlot.groupOf("DISPATCHER", "web"));
        self.attach(ProcessHandle.current().pid(), 1);
        lanePath = dir.resolve("dispatch.sock");
        SeqpacketServer lane = SeqpacketServer.listen(lanePath, Duration.ofMillis(100));
        listener = TcpListener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16, false);
        LaneSorter sorter = new LaneSorter(new LaneSorter.Setup("web", Map.of(), Map.of(), () -> null),
                self.counters(), refusals, new RefusalLog(now::get));
        agent = new DispatchAgent(new DispatchAgent.Sources(List.of(new ConnectionAcceptor(listener, "web", sorter)),
                List.of(new LinkAcceptor(lane, "web", scoreboard)), 128, () -> PeerOwners.NONE),
                new Lanes(List.of("web")), self, now::get, () -> failed.set(true));
        opened.add(lane);
        agent.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        agent.drain(0);
        assertThat(agent.join(5_000)).isTrue();
        for (AutoCloseable c : opened.reversed()) {
            c.close();
        }
        listener.close();
        refusals.close();
        assertThat(failed).as("the dispatch thread failed").isFalse();
    }

    @Test
    void aConnectionTravelsInAFrameAndTheDispatchersCopyIsClosedOnlyAfterTheAck() throws Exception {
        ControlChannel worker = link(1, 4);
        Socket client = client();
        ControlChannel.Received batch = worker.receive().orElseThrow();

        assertThat(batch.message()).isInstanceOf(ControlMessage.Handoff.class);
        assertThat(((ControlMessage.Handoff) batch.message()).services()).containsExactly("web");
        FileDescriptors.closeAll(batch.fds());
        assertThat(self.served()).as("handed over before the ack").isZero();

        worker.send(new ControlMessage.Ack(((ControlMessage.Handoff) batch.message()).batch(), 1));
        assertThat(client.getInputStream().read()).as("every copy closed, the dispatcher's too").isEqualTo(-1);
        assertThat(self.served()).isEqualTo(1);
    }

    @Test
    void oneAckAnswersItsBatchAndEveryEarlierOne() throws Exception {
        ControlChannel worker = link(1, 1);
        Socket first = client();
        ControlChannel.Received one = worker.receive().orElseThrow();
        worker.send(new ControlMessage.Credit(1));
        Socket second = client();
        ControlChannel.Received two = worker.receive().orElseThrow();
        FileDescriptors.closeAll(one.fds());
        FileDescriptors.closeAll(two.fds());

        worker.send(new ControlMessage.Ack(((ControlMessage.Handoff) two.message()).batch(), 0));
        assertThat(first.getInputStream().read()).isEqualTo(-1);
        assertThat(second.getInputStream().read()).isEqualTo(-1);
        assertThat(self.served()).isEqualTo(2);
    }

    @Test
    void whatALinkDidNotAckGoesToTheNextWorkerWhenTheLinkEnds() throws Exception {
        ControlChannel first = link(1, 4);
        Socket client = client();
        FileDescriptors.closeAll(first.receive().orElseThrow().fds());
        first.close();
        awaitLinks(0);

        ControlChannel second = link(2, 4);
        ControlChannel.Received again = second.receive().orElseThrow();
        assertThat(again.fds()).hasSize(1);
        FileDescriptors.closeAll(again.fds());
        second.send(new ControlMessage.Ack(((ControlMessage.Handoff) again.message()).batch(), 1));
        assertThat(client.getInputStream().read()).isEqualTo(-1);
    }

    @Test
    void aBadFrameEndsOnlyThatLinkAndItsConnectionsGoToTheNextWorker() throws Exception {
        SeqpacketSocket raw = SeqpacketSocket.connect(lanePath);
        ControlChannel first = hello(new ControlChannel(raw), 1, 4);
        client();
        FileDescriptors.closeAll(first.receive().orElseThrow().fds());
        raw.send(new byte[] {(byte) 0xB5, 1, 2, 0});

        assertThat(first.receive().orElseThrow().message()).isEqualTo(new ControlMessage.Revoke());
        assertThat(first.receive()).as("then the end").isEmpty();
        awaitLinks(0);
        ControlChannel second = link(2, 4);
        ControlChannel.Received again = second.receive().orElseThrow();
        assertThat(again.fds()).hasSize(1);
        FileDescriptors.closeAll(again.fds());
    }

    @Test
    void aLinkWhoseAckIsOverdueIsRevokedAndItsConnectionsGoToTheNextWorker() throws Exception {
        // the "worker" is this running process, so its link ends at the live bound
        ControlChannel stopped = link(1, 4);
        client();
        FileDescriptors.closeAll(stopped.receive().orElseThrow().fds());
        ControlChannel second = link(2, 4);

        now.addAndGet(DispatchBook.LIVE_STALL_MS + 1);
        assertThat(stopped.receive().orElseThrow().message()).isEqualTo(new ControlMessage.Revoke());
        ControlChannel.Received again = second.receive().orElseThrow();
        assertThat(again.fds()).hasSize(1);
        FileDescriptors.closeAll(again.fds());
    }

    /** A worker in slot {@code index}, linked with {@code credit}, known to the dispatcher once this returns. */
    private ControlChannel link(int index, int credit) {
        return hello(ControlChannel.connect(lanePath), index, credit);
    }

    private ControlChannel hello(ControlChannel channel, int index, int credit) {
        opened.add(channel);
        WorkerSlot worker = scoreboard.slot(index);
        worker.assign(100 + index, WORKER);
        worker.attach(ProcessHandle.current().pid(), 1);
        worker.beat(0, Long.MAX_VALUE);
        long links = self.links();
        channel.send(new ControlMessage.Hello(index, 100 + index));
        channel.send(new ControlMessage.Credit(credit));
        awaitLinks(links + 1);
        return channel;
    }

    /** Waits (bounded) until the dispatcher counts {@code links} links. */
    private void awaitLinks(long links) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (self.links() != links && System.nanoTime() - deadline < 0) {
            Thread.yield();
        }
        assertThat(self.links()).as("links the dispatcher counts").isEqualTo(links);
    }

    private Socket client() throws Exception {
        Socket client = new Socket(listener.localAddress().getAddress(), listener.localAddress().getPort());
        client.setSoTimeout(10_000);
        opened.add(client);
        return client;
    }
}
