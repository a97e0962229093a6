package dev.berth.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Facts about a process from /proc, for the tests that start children as another user. */
final class Processes {

    private Processes() {
    }

    /** Whether the test JVM runs as root (real uid 0). */
    static boolean isRoot() throws IOException {
        return uids(ProcessHandle.current().pid()).startsWith("0\t");
    }

    /**
     * The system's python3, which every user can run. The one first in root's PATH may be a
     * per-user install (pyenv's shims under /root, mode 0700 on CI machines) that the users a
     * test switches to cannot reach: "Permission denied".
     */
    static final String SYSTEM_PYTHON = "/usr/bin/python3";

    /** {@code command} run as {@code uid} (its own group, no supplementary groups), through setpriv. */
    static String[] asUser(long uid, String... command) {
        List<String> argv = new ArrayList<>(List.of("setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups", "--"));
        argv.addAll(List.of(command));
        return argv.toArray(String[]::new);
    }

    /** The real, effective, saved and file-system uids, tab-separated. */
    static String uids(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                .filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow().substring(4).strip();
    }

    /** The mask of signals a process ignores (SigIgn of /proc/PID/status: bit n-1 for signal n), of HUP, INT, QUIT. */
    static long ignored(long pid) throws IOException {
        String mask = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                .filter(l -> l.startsWith("SigIgn:")).findFirst().orElseThrow().substring(7).strip();
        return Long.parseUnsignedLong(mask, 16) & 0b111;
    }
}
