package dev.berth.mesh;

import dev.berth.config.ListenAddress;
import dev.berth.config.MeshConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Mesh nodes in one JVM on 127.0.0.1, each a proxy on its own slot file with ports the kernel
 * chose, and processes (slot clients) attached to them: for tests. Closes everything.
 */
final class Nodes implements AutoCloseable {

    private final Path dir;
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Map<String, MeshConfig.Group> groups;
    private final Map<String, MeshProxy> proxies = new LinkedHashMap<>();
    private final Map<String, SlotFile> files = new LinkedHashMap<>();
    private final List<Mesh> clients = new ArrayList<>();

    Nodes(Path dir, List<String> names, Map<String, MeshConfig.Group> groups) throws IOException {
        this.dir = dir;
        this.groups = groups;
        for (String name : names) {
            ports.put(name, freePort());
        }
    }

    static Map<String, MeshConfig.Group> groups(MeshConfig.Group... groups) {
        Map<String, MeshConfig.Group> map = new LinkedHashMap<>();
        for (MeshConfig.Group g : groups) {
            map.put(g.name(), g);
        }
        return map;
    }

    /** How long the proxies poll after an answer ({@code mesh.awake}); HopBench sets it from {@code -Dawake=}. */
    Duration awake = MeshConfig.DEFAULT_AWAKE;

    MeshConfig config(String node) {
        List<MeshConfig.Member> members = new ArrayList<>();
        ports.forEach((name, port) -> members.add(new MeshConfig.Member(name, "127.0.0.1", port)));
        return new MeshConfig(java.util.Optional.of(node), new ListenAddress("127.0.0.1", ports.get(node)),
                new MeshConfig.Members.Listed(members), 8, 64 * 1024, groups, 1, Duration.ofMillis(100), 3, awake);
    }

    /** Starts (or restarts) the proxy of a node. */
    MeshProxy start(String node) {
        SlotFile file = files.computeIfAbsent(node, n -> SlotFile.create(dir.resolve(n + ".slots"), 8, 64 * 1024));
        MeshProxy proxy = MeshProxy.start(config(node), file);
        proxies.put(node, proxy);
        return proxy;
    }

    void startAll() {
        ports.keySet().forEach(this::start);
    }

    MeshProxy proxy(String node) {
        return proxies.get(node);
    }

    /** Stops a node's proxy (its slot file stays, as when the master restarts the proxy). */
    void stop(String node) {
        proxies.remove(node).close();
    }

    /** A process attached to a node. */
    Mesh attach(String node) {
        Mesh mesh = SlotClient.attach(files.get(node), false);
        clients.add(mesh);
        return mesh;
    }

    /** A process on {@code node} that executes {@code group} with the echo handler (which does not block, as mesh-echo's). */
    Mesh serveEcho(String node, String group) {
        Mesh mesh = attach(node);
        mesh.serve(group, MeshHandler.nonBlocking(
                request -> CompletableFuture.completedFuture(MeshEchoKind.echo(node, request))));
        return mesh;
    }

    /** Whether {@code from} sees {@code node} up. */
    boolean sees(String from, String node) {
        return proxies.get(from).membership().node(node).up();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        clients.forEach(Mesh::close);
        proxies.values().forEach(MeshProxy::close);
        files.values().forEach(SlotFile::close);
    }
}
