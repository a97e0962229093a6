package dev.berth.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about a process from /proc, for the tests that start children as another user. */
final class Processes {

    private Processes() {
    }

    /** Whether the test JVM runs as root (real uid 0). */
    static boolean isRoot() throws IOException {
        return uids(ProcessHandle.current().pid()).startsWith("0\t");
    }

    /** The real, effective, saved and file-system uids, tab-separated. */
    static String uids(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                .filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow().substring(4).strip();
    }
}
