package dev.berth.service;

import dev.berth.config.ConfigSection;
import java.util.Set;

/**
 * The {@code echo} kind: every byte a client sends comes back. It has no settings. A connection
 * counts as one request when it closes.
 */
public final class EchoKind implements ServiceKind {

    /** For {@link java.util.ServiceLoader}. */
    public EchoKind() {
    }

    @Override
    public String name() {
        return "echo";
    }

    @Override
    public ServiceSettings parseSettings(ConfigSection section) {
        section.rejectUnknownKeys(Set.of());
        return new EchoSettings();
    }

    @Override
    public ServiceHandler newHandler(ServiceSettings settings, ServiceContext context) {
        return channel -> channel.pipeline().addLast(new EchoHandler(context.requests()));
    }

    /** Echo has nothing to set. */
    record EchoSettings() implements ServiceSettings {
    }
}
