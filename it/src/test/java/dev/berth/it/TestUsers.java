package dev.berth.it;

import dev.berth.testpeers.Commands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * System users a test makes for itself (the tenants of DESIGN.md §7 run as their own users; CI
 * runs as root), with unique names ({@code bt} and random hex) and no home or shell, deleted by
 * {@link #close}.
 */
final class TestUsers implements AutoCloseable {

    private final String prefix = "bt" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
    private final List<String> made = new ArrayList<>();

    /** Makes user {@code PREFIX-suffix}; returns its name. */
    String add(String suffix) {
        String name = prefix + "-" + suffix;
        Commands.output(List.of("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name));
        made.add(name);
        return name;
    }

    /** The uid of a user made here. */
    static int uid(String name) throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
            String[] f = line.split(":");
            if (f[0].equals(name)) {
                return Integer.parseInt(f[2]);
            }
        }
        throw new AssertionError("no user " + name);
    }

    /** Deletes every user made here. Never throws. */
    @Override
    public void close() {
        for (String name : made) {
            try {
                Commands.output(List.of("userdel", name));
            } catch (RuntimeException e) {
                System.err.println("user " + name + " not deleted: " + e.getMessage());
            }
        }
    }
}
