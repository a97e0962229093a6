package dev.berth.scoreboard;

/** What a worker says of itself in its slot. */
public enum WorkerState {
    /** The slot is not in use. */
    FREE(0),
    /** Started, not yet accepting. */
    STARTING(1),
    /** Accepting connections. */
    READY(2),
    /** No longer accepting; finishing the connections it has. */
    DRAINING(3);

    private final int code;

    WorkerState(int code) {
        this.code = code;
    }

    /** The value stored in the slot. */
    public int code() {
        return code;
    }

    /** The state for a stored value; unknown values read as FREE. */
    public static WorkerState of(int code) {
        for (WorkerState s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        return FREE;
    }
}
