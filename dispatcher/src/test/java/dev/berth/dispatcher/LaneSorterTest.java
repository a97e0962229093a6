package dev.berth.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.config.GroupConfig;
import dev.berth.posix.FileDescriptors;
import dev.berth.posix.TcpListener;
import dev.berth.scoreboard.CounterFamily;
import dev.berth.scoreboard.Counters;
import dev.berth.tenancy.AddressTable;
import dev.berth.tenancy.Classifier;
import dev.berth.tenancy.PeerOwners;
import dev.berth.tenancy.RefusalLog;
import dev.berth.tenancy.Refusals;
import dev.berth.tenancy.ServiceTenancy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real accepted connections sorted onto lanes by their destination, or refused in the protocol's terms. */
class LaneSorterTest {

    private static final List<GroupConfig> GROUPS = List.of(
            GroupConfig.of("acme", List.of("127.0.0.2"), Optional.empty()),
            GroupConfig.of("globex", List.of("127.0.0.3"), Optional.empty()));
    private static final byte[] REFUSAL = "421 4.3.2 No service for this address, closing connection\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    /** Counts by family and labels, like a slot's counters area. */
    private final Map<String, Long> counts = new java.util.concurrent.ConcurrentHashMap<>();
    private final Counters counters = new Counters() {
        @Override
        public Counter counter(CounterFamily family, String... labels) {
            String key = family.metric() + String.join(",", labels);
            return n -> counts.merge(key, n, Long::sum);
        }

        @Override
        public Histogram histogram(CounterFamily family, String... labels) {
            throw new UnsupportedOperationException();
        }
    };
    private final Refusals refusals = new Refusals(() -> System.nanoTime() / 1_000_000);
    private final Classifier classifier = new Classifier(AddressTable.of(GROUPS, List.of(), 0), GROUPS);
    private final LaneSorter sorter = new LaneSorter(new LaneSorter.Setup("mail",
            Map.of("mx", new ServiceTenancy("mx", Set.of("acme"), Optional.empty())), Map.of("mx", REFUSAL),
            () -> classifier), counters, refusals, new RefusalLog(() -> System.nanoTime() / 1_000_000));

    @AfterEach
    void close() {
        refusals.close();
    }

    @Test
    void aConnectionToAGroupsAddressGoesToTheGroupsLane() throws Exception {
        try (TcpListener listener = listen("127.0.0.2"); Socket client = connect(listener)) {
            int fd = listener.accept();
            try {
                assertThat(sorter.lane(fd, "mx", PeerOwners.NONE, Optional.empty())).contains("mail@acme");
            } finally {
                FileDescriptors.close(fd);
            }
        }
        assertThat(counts).containsExactly(Map.entry("berth_tenant_classified_totalmx,acme,address", 1L));
    }

    @Test
    void aConnectionToAGroupTheServiceDoesNotRunHearsTheRefusal() throws Exception {
        try (TcpListener listener = listen("127.0.0.3"); Socket client = connect(listener)) {
            int fd = listener.accept();

            assertThat(sorter.lane(fd, "mx", PeerOwners.NONE, Optional.empty())).isEmpty();

            client.setSoTimeout(5000);
            assertThat(client.getInputStream().readAllBytes()).isEqualTo(REFUSAL);
        }
        assertThat(counts).containsExactly(Map.entry("berth_tenant_classified_totalmx,globex,refused-not-served", 1L));
    }

    @Test
    void aSpecificListenersAddressIsTheDestinationWithoutAskingTheSocket() throws Exception {
        try (TcpListener listener = listen("127.0.0.3"); Socket client = connect(listener)) {
            int fd = listener.accept();
            try {
                // the socket says 127.0.0.3 (globex's, not served): the listener's address given decides
                InetSocketAddress bound = new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 2525);
                assertThat(sorter.lane(fd, "mx", PeerOwners.NONE, Optional.of(bound))).contains("mail@acme");
            } finally {
                FileDescriptors.close(fd);
            }
        }
    }

    @Test
    void aServiceWithoutGroupsGoesToThePoolsOwnLaneWithoutLooking() {
        assertThat(sorter.lane(-1, "web", PeerOwners.NONE, Optional.empty())).contains("mail");
        assertThat(sorter.classifies("web")).isFalse();
        assertThat(counts).isEmpty();
    }

    private static TcpListener listen(String host) throws Exception {
        TcpListener listener = TcpListener.bind(new InetSocketAddress(InetAddress.getByName(host), 0), 8, false);
        listener.acceptTimeout(Duration.ofSeconds(5));
        return listener;
    }

    private static Socket connect(TcpListener listener) throws Exception {
        Socket client = new Socket();
        client.connect(listener.localAddress(), 5000);
        return client;
    }
}
