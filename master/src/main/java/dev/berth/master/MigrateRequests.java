package dev.berth.master;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Turns on {@code net.ipv4.tcp_migrate_req} for reuseport pools: without it, connections queued on
 * a reuseport socket whose worker exits are reset (measured: 90–96 of 200); with it, the kernel
 * moves them to a sibling socket (0 lost). Needs root in the master's network namespace; when it
 * cannot, it says so in the log once and berth goes on.
 */
final class MigrateRequests {

    private static final System.Logger LOG = System.getLogger(MigrateRequests.class.getName());
    private static final Path KNOB = Path.of("/proc/sys/net/ipv4/tcp_migrate_req");

    private boolean checked;

    /** Checks, and sets if need be, once per master. Runs on the supervisor thread. */
    void ensure() {
        if (checked) {
            return;
        }
        checked = true;
        try {
            if (Files.readString(KNOB).strip().equals("1")) {
                LOG.log(Level.INFO, "net.ipv4.tcp_migrate_req is on: a reuseport worker's queue survives its exit");
                return;
            }
            Files.writeString(KNOB, "1\n");
            LOG.log(Level.INFO, "turned net.ipv4.tcp_migrate_req on, so a reuseport worker's queue survives its exit");
        } catch (IOException | SecurityException e) {
            LOG.log(Level.WARNING, "cannot turn net.ipv4.tcp_migrate_req on (" + e.getMessage() + "): connections"
                    + " queued on a reuseport worker that exits or is killed will be reset; run the master as root"
                    + " or set the sysctl");
        }
    }
}
