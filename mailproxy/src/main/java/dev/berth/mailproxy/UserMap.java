package dev.berth.mailproxy;

import dev.berth.config.HostPort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A user map for {@code route: user-map}: one user a line, {@code user host[:port] [upstream-user]},
 * fields separated by blanks; empty lines and lines starting with {@code #} are skipped. The name
 * is matched exactly (case-sensitive, as the client typed it); the upstream user defaults to the
 * name itself. Immutable and thread-safe once loaded.
 */
final class UserMap {

    private final Map<String, Routing.Routed> entries;

    private UserMap(Map<String, Routing.Routed> entries) {
        this.entries = Map.copyOf(entries);
    }

    /**
     * Reads the map. Blocking (file I/O): call when the service's handler is created.
     *
     * @throws UncheckedIOException when the file cannot be read
     * @throws IllegalArgumentException naming the line of the first bad entry
     */
    static UserMap load(Path file, int defaultPort) {
        try {
            return parse(Files.readAllLines(file, StandardCharsets.UTF_8), defaultPort, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read user map " + file, e);
        }
    }

    /** Parses lines; {@code source} names them in errors. Pure. */
    static UserMap parse(List<String> lines, int defaultPort, String source) {
        Map<String, Routing.Routed> entries = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\\s+");
            if (fields.length < 2 || fields.length > 3) {
                throw new IllegalArgumentException(source + ":" + (i + 1) + ": expected \"user host[:port] [upstream-user]\"");
            }
            HostPort upstream;
            try {
                upstream = HostPort.parse(fields[1], defaultPort);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + ":" + (i + 1) + ": " + e.getMessage(), e);
            }
            if (entries.putIfAbsent(fields[0], new Routing.Routed(upstream, fields.length == 3 ? fields[2] : fields[0])) != null) {
                throw new IllegalArgumentException(source + ":" + (i + 1) + ": user " + fields[0] + " appears twice");
            }
        }
        return new UserMap(entries);
    }

    /** The entry for a name, if any. */
    Optional<Routing.Routed> lookup(String user) {
        return Optional.ofNullable(entries.get(user));
    }
}
