package dev.berth.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.mesh.MeshStatus;
import dev.berth.posix.Processes;
import dev.berth.testpeers.Await;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Three berth hosts of one mesh, each a real master (with its mesh proxy and one backend worker)
 * in a network namespace of its own ({@link Netns#bridge}): node {@code a} calls (and serves the
 * portal page, which calls all three groups), nodes
 * {@code b} and {@code c} execute the groups {@code quotes} (normal), {@code portfolio} (routed)
 * and {@code photos} (keyed: {@code club} to c, the rest to b) with {@code mesh-echo}. Node a finds
 * the others by DNS (a name with the three addresses in its namespace's hosts file); b and c list
 * them. Hosts can be killed, stopped and started again; {@link #close} ends everything.
 */
final class MeshHosts implements AutoCloseable {

    static final List<String> NAMES = List.of("a", "b", "c");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final Netns hub = Netns.bridge();
    private final Map<String, Netns> nets = new LinkedHashMap<>();
    private final int port;
    private final Map<String, Berth> hosts = new LinkedHashMap<>();

    private MeshHosts(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Makes the namespaces and starts the three hosts; returns once every master is ready. */
    static MeshHosts start(Path dir) throws IOException {
        MeshHosts mesh = new MeshHosts(dir, kernelPort());
        try {
            StringBuilder hostsFile = new StringBuilder("127.0.0.1 localhost\n");
            for (String name : NAMES) {
                mesh.nets.put(name, mesh.hub.join());
                hostsFile.append(mesh.address(name)).append(" berth-mesh\n");
            }
            mesh.nets.get("a").hostsFile(hostsFile.toString());
            for (String name : NAMES) {
                mesh.start(name);
            }
            return mesh;
        } catch (IOException | RuntimeException e) {
            mesh.close();
            throw e;
        }
    }

    /** (Re)starts host {@code name} and waits until its master, proxy and worker are ready. */
    Berth start(String name) throws IOException {
        Path home = Files.createDirectories(dir.resolve(name));
        Berth berth = Berth.startThrough(nets.get(name).exec(), home, config(name, "300ms"), Berth.JAR);
        hosts.put(name, berth);
        return berth;
    }

    /** Rewrites host {@code name}'s config with another mesh {@code ping-interval} and reloads it. */
    void reload(String name, String pingInterval) throws IOException {
        Files.writeString(hosts.get(name).config(), config(name, pingInterval));
        JsonNode reply = hosts.get(name).request("reload", false);
        if (!reply.path("ok").asBoolean()) {
            throw new AssertionError("reload of " + name + " failed: " + reply);
        }
    }

    /** The pid of host {@code name}'s ready mesh proxy as its master reports it; 0 when none is ready. */
    long proxyPid(String name) {
        return Berth.workers(hosts.get(name).status(), "mesh").stream()
                .filter(w -> w.path("state").asText().equals("ready")).mapToLong(w -> w.path("pid").asLong())
                .findFirst().orElse(0);
    }

    /**
     * Waits until every master is ready, a sees b and c up, and no member is ejected at a; calls
     * to {@code quotes} are the probes that bring an ejected member back.
     */
    void awaitHealthy() throws IOException {
        for (String name : NAMES) {
            if (!hosts.get(name).master().isAlive()) {
                start(name);
            }
            hosts.get(name).awaitReady(Duration.ofSeconds(60));
        }
        awaitLinked();
        Await.require("no member ejected at a", Duration.ofSeconds(90), () -> {
            for (JsonNode m : status("a").path("members")) {
                if (m.path("ejected").asBoolean()) {
                    MeshCalls.call(this, "--group", "quotes", "--count", "20", "--concurrency", "4", "probe");
                    return false;
                }
            }
            return true;
        });
    }

    Berth host(String name) {
        return hosts.get(name);
    }

    /** Host {@code name}'s address on the bridge. */
    String address(String name) {
        return nets.get(name).inner();
    }

    /** Runs a command in host {@code name}'s namespace; its output. */
    String run(String name, String... command) {
        return nets.get(name).inside(command);
    }

    /** The mesh status of host {@code name}'s proxy, read from its status socket. */
    JsonNode status(String name) {
        try {
            return JSON.readTree(MeshStatus.read(hosts.get(name).dir().resolve("run")));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** What host {@code name}'s log says about its peer links: for a failure's description. */
    String peerLog(String name) {
        return hosts.get(name).log().lines().filter(l -> l.contains("mesh peer") || l.contains("drain") || l.contains("hung")
                || l.contains("did not run"))
                .collect(java.util.stream.Collectors.joining("\n"));
    }

    /** Whether the proxy of {@code from} has an up link to {@code to}. */
    boolean sees(String from, String to) {
        try {
            for (JsonNode m : status(from).path("members")) {
                if (m.path("node").asText().equals(to)) {
                    return m.path("up").asBoolean();
                }
            }
            return false;
        } catch (RuntimeException proxyNotAnswering) {
            return false;
        }
    }

    /** Waits until a sees every other host up. */
    void awaitLinked() {
        Await.require("a linked to b and c", Duration.ofSeconds(30), () -> sees("a", "b") && sees("a", "c"));
    }

    /** Signals the master and every process it started (proxy, workers) of host {@code name}. */
    void signal(String name, int signal) {
        Berth berth = hosts.get(name);
        List<ProcessHandle> all = new ArrayList<>(berth.master().descendants().toList());
        all.add(berth.master().toHandle());
        all.forEach(p -> Processes.signal(p.pid(), signal));
    }

    /** SIGKILLs host {@code name} whole and waits until its master is gone. */
    void kill(String name) throws InterruptedException {
        List<ProcessHandle> all = new ArrayList<>(hosts.get(name).master().descendants().toList());
        signal(name, Processes.SIGKILL);
        hosts.get(name).master().waitFor();
        all.forEach(p -> p.onExit().join());
    }

    private String config(String name, String pingInterval) {
        String members = name.equals("a") ? "{dns: berth-mesh:" + port + ", every: 1s}"
                : "[a=" + address("a") + ":" + port + ", b=" + address("b") + ":" + port + ", c="
                        + address("c") + ":" + port + "]";
        String services = name.equals("a") ? """
                pools:
                  web: {workers: 1, threads: 1, jvm-options: [-Xmx64m, -XX:+UseSerialGC]}
                services:
                  - {name: portal, kind: portal, pool: web, listen: ["0.0.0.0:0"], portal: {parts: [quotes, portfolio, photos]}}
                """ : """
                pools:
                  backend: {workers: 1, threads: 1, hang-timeout: 5s, jvm-options: [-Xmx64m, -XX:+UseSerialGC]}
                services:
                  - {name: quotes, kind: mesh-echo, pool: backend, mesh-group: quotes}
                  - {name: portfolio, kind: mesh-echo, pool: backend, mesh-group: portfolio}
                  - {name: photos, kind: mesh-echo, pool: backend, mesh-group: photos}
                """;
        return """
                master: {run-dir: run, log-dir: log, admin: "127.0.0.1:0"}
                mesh:
                  node: %s
                  listen: %s:%d
                  members: %s
                  slots: 16
                  slot-size: 64k
                  ping-interval: %s
                  ping-failures: 5
                  groups:
                    quotes:    {mode: normal, members: [b, c]}
                    portfolio: {mode: routed, members: [b, c]}
                    photos:    {mode: keyed,  routes: {club: c, "*": b}}
                %s""".formatted(name, address(name), port, members, pingInterval, services);
    }

    /** A port the kernel says is free; every host's proxy listens on it, each in its own namespace. */
    private static int kernelPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        hosts.values().forEach(Berth::close);
        nets.values().forEach(Netns::close);
        hub.close();
    }
}
