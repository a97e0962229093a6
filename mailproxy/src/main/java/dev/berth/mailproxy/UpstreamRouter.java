package dev.berth.mailproxy;

import dev.berth.config.HostPort;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Chooses the upstream of a login from the user name and the service's route, and enforces the
 * allow-list: a generic route never yields an upstream that is not on it, so the proxy cannot be
 * used to reach arbitrary hosts. Pure and thread-safe; the user map is loaded before.
 */
final class UpstreamRouter {

    private final Route route;
    private final List<HostPort> allow;
    private final int defaultPort;
    private final Optional<UserMap> userMap;

    /**
     * @param userMap the loaded map, required for {@link Route.UserMap}
     */
    UpstreamRouter(Route route, List<HostPort> allow, int defaultPort, Optional<UserMap> userMap) {
        this.route = Objects.requireNonNull(route, "route");
        this.allow = List.copyOf(allow);
        this.defaultPort = defaultPort;
        this.userMap = Objects.requireNonNull(userMap, "userMap");
        if (route instanceof Route.UserMap && userMap.isEmpty()) {
            throw new IllegalArgumentException("userMap: required by route user-map");
        }
    }

    /** A router for the settings, with the user map when the route needs one (already loaded). */
    static UpstreamRouter of(ProxySettings settings, Optional<UserMap> userMap) {
        return new UpstreamRouter(settings.route(), settings.allow(), settings.protocol().defaultPort(), userMap);
    }

    /** Routes a login name as the client sent it. */
    Routing route(String name) {
        return switch (route) {
            case Route.Fixed fixed -> new Routing.Routed(fixed.upstream(), name);
            case Route.UserAtHost ignored -> byName(name);
            case Route.UserMap ignored -> userMap.orElseThrow().lookup(name)
                    .<Routing>map(this::allowed)
                    .orElseGet(() -> new Routing.Refused("unknown user"));
        };
    }

    private Routing byName(String name) {
        int at = Math.max(name.lastIndexOf('@'), name.lastIndexOf('#'));
        if (at <= 0 || at == name.length() - 1) {
            return new Routing.Refused("name the server as user@host or user#host");
        }
        HostPort upstream;
        try {
            upstream = HostPort.parse(name.substring(at + 1), defaultPort);
        } catch (IllegalArgumentException e) {
            // the reason goes back to the client: it must not echo what the client sent, which may
            // hold control characters or run past a reply line's 512 octets
            return new Routing.Refused("not a server name: use host or host:port after the @ or #");
        }
        return allowed(new Routing.Routed(upstream, name.substring(0, at)));
    }

    private Routing allowed(Routing.Routed routed) {
        if (route instanceof Route.UserMap && allow.isEmpty() || allow.contains(routed.upstream())) {
            return routed;
        }
        return new Routing.Refused("server " + routed.upstream() + " is not allowed");
    }
}
