package dev.berth.mesh;

import dev.berth.config.ListenAddress;
import dev.berth.config.MeshConfig;
import dev.berth.testpeers.Await;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Node a finds its peers by a name that resolves to every node's address (a Kubernetes headless
 * Service), here 127.0.0.1, .2 and .3 on one port: it links to each address, learns the node names
 * from their hello, skips itself, and follows the name's answer as it changes.
 */
class DnsMembershipTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final AtomicReference<InetAddress[]> answer = new AtomicReference<>();
    private final List<AutoCloseable> open = new ArrayList<>();
    private Mesh caller;

    @BeforeEach
    void start() throws Exception {
        int port = portFreeOnThreeAddresses();
        answer.set(addresses(1, 2, 3));
        Map<String, MeshConfig.Group> groups = Map.of("quotes",
                new MeshConfig.Group("quotes", MeshConfig.Mode.NORMAL, List.of("b", "c"), Map.of()));
        MeshConfig.Members dns = new MeshConfig.Members.Dns("berth-mesh.test", port, Duration.ofMillis(100));
        for (String node : List.of("a", "b", "c")) {
            SlotFile file = SlotFile.create(dir.resolve(node), 4, 16 * 1024);
            open.add(file);
            MeshConfig config = new MeshConfig(Optional.of(node), new ListenAddress(
                    "127.0.0." + (node.charAt(0) - 'a' + 1), port), dns, 4, 16 * 1024, groups, 1,
                    Duration.ofMillis(100), 3, MeshConfig.DEFAULT_AWAKE);
            MeshProxy proxy = MeshProxy.start(config, file, ProxyHooks.none(), name -> answer.get().clone());
            open.add(proxy);
            Mesh worker = SlotClient.attach(file, false);
            open.add(worker);
            if (node.equals("a")) {
                caller = worker;
            } else {
                worker.serve("quotes", request -> CompletableFuture.completedFuture(MeshEchoKind.echo(node, request)));
            }
        }
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    @Test
    void everyAddressOfTheNameIsANodeAndTheCallsSpreadOverThem() throws Exception {
        Await.require("a to learn b and c", WAIT, () -> answered().equals(new TreeSet<>(List.of("b", "c"))));
        assertThat(proxy("a").links().all()).hasSize(2);
    }

    @Test
    void aNodeTheNameNoLongerListsIsDroppedAndReturnsWithTheName() throws Exception {
        Await.require("a to learn b and c", WAIT, () -> answered().equals(new TreeSet<>(List.of("b", "c"))));
        answer.set(addresses(1, 2));
        Await.require("c to be dropped", WAIT, () -> !proxy("a").membership().node("c").up());
        assertThat(answered()).containsExactly("b");
        answer.set(addresses(1, 2, 3));
        Await.require("c to return", WAIT, () -> proxy("a").membership().node("c").up());
        Await.require("calls to reach c again", WAIT, () -> answered().contains("c"));
    }

    /** The nodes that answered 20 calls of a. */
    private TreeSet<String> answered() {
        TreeSet<String> nodes = new TreeSet<>();
        for (int i = 0; i < 20; i++) {
            try {
                nodes.add(caller.call("quotes", "", "", ("q" + i).getBytes(StandardCharsets.UTF_8), WAIT).get().node());
            } catch (Exception e) {
                nodes.add("failed: " + e.getMessage());
            }
        }
        return nodes;
    }

    private MeshProxy proxy(String node) {
        return open.stream().filter(c -> c instanceof MeshProxy p && p.node().equals(node)).map(MeshProxy.class::cast)
                .findFirst().orElseThrow();
    }

    private static InetAddress[] addresses(int... last) throws IOException {
        InetAddress[] out = new InetAddress[last.length];
        for (int i = 0; i < last.length; i++) {
            out[i] = InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) last[i]});
        }
        return out;
    }

    /** A port the kernel gave on 127.0.0.1 that 127.0.0.2 and .3 can bind too. */
    private static int portFreeOnThreeAddresses() throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket first = new ServerSocket()) {
                first.bind(new InetSocketAddress("127.0.0.1", 0));
                int port = first.getLocalPort();
                try (ServerSocket second = new ServerSocket(); ServerSocket third = new ServerSocket()) {
                    second.bind(new InetSocketAddress("127.0.0.2", port));
                    third.bind(new InetSocketAddress("127.0.0.3", port));
                    return port;
                } catch (IOException taken) {
                    // another program has it on .2 or .3: ask again
                }
            }
        }
        throw new IOException("no port free on 127.0.0.1, .2 and .3");
    }
}
