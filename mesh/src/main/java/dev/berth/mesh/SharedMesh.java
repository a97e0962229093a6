package dev.berth.mesh;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One mesh client per slot file per process, made on first use and closed by {@link #close} or a
 * shutdown hook, so that every service kind of a worker shares the worker's one slot. Thread-safe.
 */
final class SharedMesh {

    private static final Map<Path, Mesh> CLIENTS = new ConcurrentHashMap<>();

    private SharedMesh() {
    }

    /**
     * Closes the process's client of {@code slotFile}, if it has one, before the JVM's exit: a worker
     * that executes a group gives its slot back while the rest of it (its scoreboard) still works,
     * so that requests routed to it meanwhile go to another worker (docs/adr/0031).
     */
    static void close(Path slotFile) {
        Mesh mesh = CLIENTS.remove(slotFile.toAbsolutePath().normalize());
        if (mesh != null) {
            mesh.close();
        }
    }

    static Mesh of(Path slotFile) {
        return CLIENTS.computeIfAbsent(slotFile.toAbsolutePath().normalize(), path -> {
            Mesh mesh = Mesh.attach(path);
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(mesh::close));
            return mesh;
        });
    }
}
