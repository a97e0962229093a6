package dev.berth.master;

/**
 * What a child process of the master does. Every role is the same jar with the same main class
 * ({@link dev.berth.child.ChildMain}), told its role by name; the child side of a role is a
 * {@link dev.berth.child.ChildRole} of that name (which says how to add one).
 */
enum Role {

    /** Serves connections on its event loops; {@code workers} of them per pool. */
    WORKER("worker"),

    /** Accepts for an {@code accept: handoff} pool and hands connections to its workers; one per pool and generation. */
    DISPATCHER("dispatcher"),

    /** The host's mesh proxy (DESIGN.md §8); one, while the config has a {@code mesh} section ({@link MeshProxyChild}). */
    MESH("mesh");

    private final String childName;

    Role(String childName) {
        this.childName = childName;
    }

    /** The {@link dev.berth.child.ChildRole#name} the child runs. */
    String childName() {
        return childName;
    }
}
