package dev.berth.scan;

/** What an unavailable scanner means for the message: the {@code on-unavailable} key. */
public enum UnavailablePolicy {
    /** Refuse for now (451 / a temporary error), so the sender retries. The default. */
    TEMPFAIL,
    /** Carry on as if the scanner had said nothing (fail open). */
    ACCEPT;

    /** The config spelling: {@code tempfail} or {@code accept}. */
    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
