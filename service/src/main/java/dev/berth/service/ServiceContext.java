package dev.berth.service;

import dev.berth.scoreboard.Counters;
import java.util.Objects;
import java.util.Optional;

/**
 * What a service handler knows of where it runs: its service, the worker's counters, the tenant
 * group whose instance it is, and how to open outbound connections.
 *
 * @param serviceName the service's {@code name:} in the config
 * @param requests the counter that handlers advance once per finished request
 * @param counters the worker's labelled counters (scoreboard), which the master exports as
 *     metrics: a kind counts what it alone sees (SMTP replies by code, scan verdicts) there
 * @param group the tenant group this instance serves (DESIGN.md §7); empty for a service
 *     without groups
 * @param outbound how its handlers connect to other hosts: from the group's address for a group's
 *     instance, {@link Outbound#DIRECT} otherwise
 */
public record ServiceContext(String serviceName, RequestCounter requests, Counters counters, Optional<String> group,
                             Outbound outbound) {

    /** Checks the arguments. */
    public ServiceContext {
        Objects.requireNonNull(serviceName, "serviceName");
        Objects.requireNonNull(requests, "requests");
        Objects.requireNonNull(counters, "counters");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(outbound, "outbound");
    }

    /** A service without tenant groups: outbound connections leave wherever the kernel chooses. */
    public ServiceContext(String serviceName, RequestCounter requests, Counters counters) {
        this(serviceName, requests, counters, Optional.empty(), Outbound.DIRECT);
    }

    /** A context whose labelled counters count nowhere (tests, tools). */
    public ServiceContext(String serviceName, RequestCounter requests) {
        this(serviceName, requests, Counters.none());
    }
}
