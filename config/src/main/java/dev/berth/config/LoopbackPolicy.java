package dev.berth.config;

import java.util.Optional;

/**
 * Where a tenant group's own processes land when they connect to a grouped service on this host
 * (over loopback, or to another local address): the group's {@code loopback:} key, docs/adr/0014.
 */
public enum LoopbackPolicy {

    /** To the group's own instance, whatever local address they dialled. The default. */
    OWN("own"),

    /** To their own instance on their own or an unclaimed address; refused at another group's address. */
    DENY("deny"),

    /** By destination like any client: another group's address reaches that group. */
    ANY("any");

    private final String configName;

    LoopbackPolicy(String configName) {
        this.configName = configName;
    }

    /** The value written in the config file. */
    public String configName() {
        return configName;
    }

    static Optional<LoopbackPolicy> byConfigName(String name) {
        for (LoopbackPolicy policy : values()) {
            if (policy.configName.equals(name)) {
                return Optional.of(policy);
            }
        }
        return Optional.empty();
    }
}
