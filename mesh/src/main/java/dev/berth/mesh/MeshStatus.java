package dev.berth.mesh;

import java.nio.file.Path;

/** Reading a running proxy's status from outside it: the CLI and the master. */
public final class MeshStatus {

    private MeshStatus() {
    }

    /**
     * The status JSON of the proxy of the master whose run directory is {@code runDir}: node,
     * members, groups, slots, call counters ({@code calls: {group: {node: {outcome: n}}}}) and
     * durations ({@code call-seconds}). Blocks for the round trip over {@code run/mesh/status.sock}.
     *
     * @throws MeshException when no proxy answers
     */
    public static String read(Path runDir) {
        return StatusServer.read(runDir.resolve(StatusServer.SOCKET));
    }
}
