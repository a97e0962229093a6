package dev.berth.mesh;

/** The life of a slot, stored in its state word ({@link SlotDescriptor}). */
enum SlotState {
    /** No owner; a process may claim it. */
    FREE(0),
    /** An owner won the claim and is resetting the rings; the proxy does not read it yet. */
    CLAIMING(1),
    /** Owned and in use: the proxy reads its request ring. */
    ACTIVE(2),
    /** The proxy (or a claimer) found the owner dead and is clearing the slot. */
    RECLAIMING(3);

    private final int code;

    SlotState(int code) {
        this.code = code;
    }

    int code() {
        return code;
    }

    static SlotState of(int code) {
        return switch (code) {
            case 1 -> CLAIMING;
            case 2 -> ACTIVE;
            case 3 -> RECLAIMING;
            default -> FREE;
        };
    }
}
