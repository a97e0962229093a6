package dev.berth.mesh;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every node this proxy knows, by name, with its {@link MemberHealth}: the listed members, or those
 * DNS found and that told their names. Thread-safe.
 */
final class Membership {

    private final String self;
    private final Map<String, MemberHealth> nodes = new ConcurrentHashMap<>();

    Membership(String self) {
        this.self = self;
        nodes.put(self, new MemberHealth(self, true));
    }

    String self() {
        return self;
    }

    /** The node's health, made (down until its link says otherwise) on first mention. */
    MemberHealth node(String name) {
        return nodes.computeIfAbsent(name, n -> new MemberHealth(n, n.equals(self)));
    }

    /** Every node known, this one included. */
    Collection<MemberHealth> all() {
        return nodes.values();
    }
}
