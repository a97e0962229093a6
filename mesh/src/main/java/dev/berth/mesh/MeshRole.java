package dev.berth.mesh;

import dev.berth.child.Child;
import dev.berth.child.ChildRole;
import dev.berth.config.ConfigLoader;
import dev.berth.config.HostConfig;
import dev.berth.config.MeshConfig;
import dev.berth.posix.FileDescriptors;
import dev.berth.scoreboard.WorkerState;
import dev.berth.service.ServiceKinds;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The master's {@code mesh} child (DESIGN.md §8): runs this host's {@link MeshProxy} on the slot
 * file the master created ({@code run/mesh-slots}), answers {@code run/mesh/status.sock} with its
 * status, counts its calls into its scoreboard slot (the master's {@code /metrics}) and stamps two
 * heartbeats there, the slot agent's tick and the event loop's beat (both on the event loop now,
 * docs/adr/0029), so that a stuck loop is a hang the master acts on. On a drain it sends GOAWAY to every peer, lets the calls in flight finish (up to
 * the drain timeout) and exits 0. It never runs handler code.
 */
public final class MeshRole implements ChildRole {

    private static final System.Logger LOG = System.getLogger(MeshRole.class.getName());

    /** For {@link java.util.ServiceLoader}. */
    public MeshRole() {
    }

    @Override
    public String name() {
        return "mesh";
    }

    @Override
    public int serve(Child child) throws InterruptedException {
        FileDescriptors.closeAll(child.fds());
        HostConfig config = ConfigLoader.parse(Path.of(child.assignment().configFile()), child.assignment().configText(),
                ServiceKinds.installed().names());
        MeshConfig mesh = config.mesh().orElseThrow(() -> new MeshException("the config has no mesh section"));
        Path runDir = config.master().runDir();
        child.slot().attach(ProcessHandle.current().pid(), ProxyHooks.BEATS);
        ProxyHooks hooks = new ProxyHooks(child.slot().counters(), child.slot()::beat, ProxyHooks.PeerDialer.DIRECT);
        try (SlotFile file = SlotFile.open(runDir.resolve(Mesh.SLOT_FILE))) {
            MeshProxy proxy = MeshProxy.start(mesh, file, hooks);
            try (StatusServer status = new StatusServer(runDir.resolve(StatusServer.SOCKET), proxy::status)) {
                child.ready();
                OptionalLong drain = child.awaitDrain();
                child.slot().state(WorkerState.DRAINING);
                proxy.drain();
                if (drain.isPresent() && !proxy.awaitIdle(drain.getAsLong())) {
                    LOG.log(Level.WARNING, "mesh calls still in flight after " + drain.getAsLong() + " ms; stopping");
                }
            } catch (IOException e) {
                throw new MeshException("cannot serve " + runDir.resolve(StatusServer.SOCKET) + ": " + e.getMessage(), e);
            } finally {
                proxy.close();
            }
        }
        return 0;
    }
}
