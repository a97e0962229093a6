package dev.berth.service;

/**
 * The parsed, immutable settings of one service, made by {@link ServiceKind#parseSettings}. Each
 * kind has its own record; the host only passes it back to the kind.
 */
public interface ServiceSettings {
}
