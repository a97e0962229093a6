package dev.berth.service;

import dev.berth.scoreboard.Counters;

/**
 * What a service handler knows of where it runs: its service and the worker's counters.
 *
 * @param serviceName the service's {@code name:} in the config
 * @param requests the counter that handlers advance once per finished request
 * @param counters the worker's labelled counters (scoreboard), which the master exports as
 *     metrics: a kind counts what it alone sees (SMTP replies by code, scan verdicts) there
 */
public record ServiceContext(String serviceName, RequestCounter requests, Counters counters) {

    /** Checks the arguments. */
    public ServiceContext {
        java.util.Objects.requireNonNull(serviceName, "serviceName");
        java.util.Objects.requireNonNull(requests, "requests");
        java.util.Objects.requireNonNull(counters, "counters");
    }

    /** A context whose labelled counters count nowhere (tests, tools). */
    public ServiceContext(String serviceName, RequestCounter requests) {
        this(serviceName, requests, Counters.none());
    }
}
