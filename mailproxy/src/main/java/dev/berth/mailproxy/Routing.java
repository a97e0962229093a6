package dev.berth.mailproxy;

import dev.berth.config.HostPort;
import java.util.Objects;

/** Where a login goes: the outcome of {@link UpstreamRouter#route}. */
sealed interface Routing {

    /**
     * Log in at {@code upstream} as {@code user}.
     *
     * @param upstream the chosen upstream, on the allow-list when the route is generic
     * @param user the name to log in with upstream (the part before the delimiter)
     */
    record Routed(HostPort upstream, String user) implements Routing {
        /** Checks the arguments. */
        public Routed {
            Objects.requireNonNull(upstream, "upstream");
            Objects.requireNonNull(user, "user");
        }
    }

    /**
     * No upstream for this name; nothing is connected.
     *
     * @param reason a short text for the client ({@code -ERR [AUTH] reason}), no secrets
     */
    record Refused(String reason) implements Routing {
        /** Checks the argument. */
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
