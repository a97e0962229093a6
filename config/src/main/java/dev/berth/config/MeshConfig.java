package dev.berth.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code mesh:} section (DESIGN.md §8): this host's node name and proxy listener, the other
 * nodes, the slot file's size, and the groups calls are routed to. Immutable and thread-safe.
 *
 * @param node this host's name in the mesh; empty means the host name (found at run time)
 * @param listen the proxy-to-proxy listener
 * @param members where the other nodes are: a list, or a DNS name re-resolved
 * @param slots how many processes can use the mesh at once (default 64)
 * @param slotSize bytes of one slot's two rings, a power of two (default 256k)
 * @param groups the groups by name, in file order
 * @param connections enduring connections per peer node, 1 or 2 (default 1)
 * @param pingInterval how often a connection is pinged (default 1s)
 * @param pingFailures pings missed in a row before the peer counts as down (default 3)
 * @param awake how long the proxy's event loop polls for the next request after it wrote an answer
 *     into a slot, before it sleeps (default 50us, at most {@link #MAX_AWAKE}; 0: it never polls)
 */
public record MeshConfig(Optional<String> node, ListenAddress listen, Members members, int slots, long slotSize,
                         Map<String, Group> groups, int connections, Duration pingInterval, int pingFailures,
                         Duration awake) {

    /** Default {@code slots}. */
    public static final int DEFAULT_SLOTS = 64;
    /** Default {@code slot-size}: two rings of 128 KiB. */
    public static final long DEFAULT_SLOT_SIZE = 256 * 1024;

    /** Default {@code awake}: a worker's answer or a caller's next call usually follows within it (ADR 0029). */
    public static final Duration DEFAULT_AWAKE = Duration.ofNanos(50_000);
    /** The longest {@code awake}: a loop that polls longer spends a core on waiting. */
    public static final Duration MAX_AWAKE = Duration.ofMillis(10);

    /** Checks the components and copies the map. */
    public MeshConfig {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(members, "members");
        Objects.requireNonNull(pingInterval, "pingInterval");
        Objects.requireNonNull(awake, "awake");
        if (awake.isNegative() || awake.compareTo(MAX_AWAKE) > 0) {
            throw new IllegalArgumentException("awake from 0 to " + MAX_AWAKE + ": " + awake);
        }
        groups = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(groups));
        if (slots < 1 || connections < 1 || connections > 2 || pingFailures < 1) {
            throw new IllegalArgumentException("slots >= 1, connections 1..2, ping-failures >= 1");
        }
    }

    /** How the other nodes are found. */
    public sealed interface Members {
        /** A fixed list, in file order. */
        record Listed(List<Member> members) implements Members {
            /** Copies the list. */
            public Listed {
                members = List.copyOf(members);
            }
        }

        /**
         * Every A and AAAA record of {@code name}, each an address of a node listening on {@code
         * port}, looked up again every {@code every} (a Kubernetes headless Service). Nodes tell
         * their names when connected.
         */
        record Dns(String name, int port, Duration every) implements Members {
        }
    }

    /**
     * One listed node.
     *
     * @param name its {@code mesh.node}
     * @param host a numeric address or a host name (resolved when connecting)
     * @param port its proxy listener's port
     */
    public record Member(String name, String host, int port) {
        /** {@code name=host:port}. */
        @Override
        public String toString() {
            return name + "=" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /** How a group picks the member that runs a call. */
    public enum Mode {
        /** Least outstanding of two random live members; failed calls retried on another within a budget. */
        NORMAL,
        /** Rendezvous hashing on the call's key: the same key to the same member, failover and return. */
        ROUTED,
        /** The call's type names the member through {@code routes}; {@code "*"} is the fallback. */
        KEYED;

        /** The name in the config. */
        public String configName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * A group of members that calls go to.
     *
     * @param name its name, what callers and {@code mesh-group:} use
     * @param mode how a member is picked
     * @param members the members (normal, routed); {@code "*"} means every node known
     * @param routes type to member (keyed), {@code "*"} the fallback
     */
    public record Group(String name, Mode mode, List<String> members, Map<String, String> routes) {
        /** Copies the collections. */
        public Group {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(mode, "mode");
            members = List.copyOf(members);
            routes = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(routes));
        }
    }
}
