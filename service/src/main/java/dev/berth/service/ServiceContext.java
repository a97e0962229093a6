package dev.berth.service;

/**
 * What a service handler knows of where it runs: its service and the worker's request counter.
 *
 * @param serviceName the service's {@code name:} in the config
 * @param requests the counter that handlers advance once per finished request
 */
public record ServiceContext(String serviceName, RequestCounter requests) {

    /** Checks the arguments. */
    public ServiceContext {
        java.util.Objects.requireNonNull(serviceName, "serviceName");
        java.util.Objects.requireNonNull(requests, "requests");
    }
}
