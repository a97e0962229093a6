package dev.berth.mesh;

import dev.berth.config.ConfigLoader;
import dev.berth.config.HostConfig;
import dev.berth.config.MeshConfig;
import dev.berth.service.ServiceKinds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Entry point of the mesh proxy JVM: {@code --config FILE}. It opens the slot file in the config's
 * run directory (creating it when no master made one: a proxy run on its own), starts the {@link
 * MeshProxy} and the status socket, and runs until SIGTERM or SIGINT, on which it drains (GOAWAY to
 * every peer) and exits 0. Exit status 1 when it cannot start (the reason goes to stderr).
 */
public final class MeshMain {

    private MeshMain() {
    }

    /** Runs a proxy until it is stopped. */
    public static void main(String[] args) {
        System.setProperty("java.util.logging.SimpleFormatter.format",
                "%1$tF %1$tT.%1$tL %4$s mesh pid=" + ProcessHandle.current().pid() + " %3$s: %5$s%6$s%n");
        try {
            run(config(args));
        } catch (Throwable e) {
            System.getLogger(MeshMain.class.getName()).log(System.Logger.Level.ERROR, "mesh proxy failed", e);
            System.exit(1);
        }
    }

    private static HostConfig config(String[] args) {
        if (args.length != 2 || !args[0].equals("--config")) {
            throw new IllegalArgumentException("usage: MeshMain --config FILE");
        }
        return ConfigLoader.load(Path.of(args[1]).toAbsolutePath(), ServiceKinds.installed().names());
    }

    private static void run(HostConfig config) throws IOException, InterruptedException {
        MeshConfig mesh = config.mesh().orElseThrow(() -> new MeshException(config.file() + " has no mesh section"));
        Path runDir = config.master().runDir();
        Files.createDirectories(runDir);
        Path slots = runDir.resolve(Mesh.SLOT_FILE);
        SlotFile file = Files.exists(slots) ? SlotFile.open(slots) : SlotFile.create(slots, mesh.slots(), mesh.slotSize());
        MeshProxy proxy = MeshProxy.start(mesh, file);
        StatusServer status = new StatusServer(runDir.resolve(StatusServer.SOCKET), proxy::status);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            proxy.drain();
            proxy.close();
            try {
                status.close();
            } catch (IOException e) {
                // the socket file stays; the next proxy replaces it
            }
            stopped.countDown();
        }));
        stopped.await();
    }
}
