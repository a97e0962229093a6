package dev.berth.mesh;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One mesh client per slot file per process, made on first use and closed by a shutdown hook, so
 * that every service kind of a worker shares the worker's one slot. Thread-safe.
 */
final class SharedMesh {

    private static final Map<Path, Mesh> CLIENTS = new ConcurrentHashMap<>();

    private SharedMesh() {
    }

    static Mesh of(Path slotFile) {
        return CLIENTS.computeIfAbsent(slotFile.toAbsolutePath().normalize(), path -> {
            Mesh mesh = Mesh.attach(path);
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(mesh::close));
            return mesh;
        });
    }
}
