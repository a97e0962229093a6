package dev.berth.mailproxy;

import dev.berth.config.HostPort;
import java.nio.file.Path;
import java.util.Objects;

/** How a proxy service picks the upstream of a login: fixed, or from the user name. */
sealed interface Route {

    /**
     * Dedicated: every login goes to one upstream ({@code upstream: "host:port"}).
     *
     * @param upstream the upstream
     */
    record Fixed(HostPort upstream) implements Route {
        /** Checks the argument. */
        public Fixed {
            Objects.requireNonNull(upstream, "upstream");
        }
    }

    /** Generic: {@code user@host[:port]} or {@code user#host[:port]}, split at the last @ or #. */
    record UserAtHost() implements Route {
    }

    /**
     * Generic: a map file with lines {@code user host[:port] [upstream-user]} ({@code route: user-map}).
     *
     * @param file the map, read when the service's handler is created
     */
    record UserMap(Path file) implements Route {
        /** Checks the argument. */
        public UserMap {
            Objects.requireNonNull(file, "file");
        }
    }
}
