package dev.berth.config;

import java.util.Optional;

/**
 * What a tenant group's outbound connections do when the group has no address of the target's
 * family (DESIGN.md §7, {@code groups.G.source-address}).
 */
public enum SourceAddressPolicy {

    /** Fail the connection with a temporary error, as Postfix's {@code smtp_bind_address_enforce}. */
    ENFORCE("enforce"),

    /** Let the kernel choose the source address, and say so in the log once. The default. */
    PREFER("prefer");

    private final String configName;

    SourceAddressPolicy(String configName) {
        this.configName = configName;
    }

    /** The value written in the config file. */
    public String configName() {
        return configName;
    }

    static Optional<SourceAddressPolicy> byConfigName(String name) {
        for (SourceAddressPolicy policy : values()) {
            if (policy.configName.equals(name)) {
                return Optional.of(policy);
            }
        }
        return Optional.empty();
    }
}
