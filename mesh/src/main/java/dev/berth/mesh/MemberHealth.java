package dev.berth.mesh;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How one node looks from this proxy: whether its link is up, how many calls it has outstanding,
 * and outlier ejection. After {@value #EJECT_AFTER} failures in a row it is ejected for {@code
 * 10 s x n} (n = times ejected in a row, at most 6); when that time has passed it gets one probe
 * call, whose success returns it and whose failure ejects it again for longer. A node whose link
 * comes back up (reconnected, answering pings again) starts afresh: the failures that ejected it
 * were those of the link the liveness check has just seen recover.
 *
 * <p>Thread-safe: the event loop picks and reports outcomes. Time comes from the caller (an
 * injected clock), in nanoseconds.
 */
final class MemberHealth {

    static final int EJECT_AFTER = 5;
    static final long EJECT_NANOS = 10_000_000_000L;
    private static final int MAX_FACTOR = 6;

    private final String name;
    private final boolean local;
    private final AtomicInteger outstanding = new AtomicInteger();
    private volatile boolean up;
    private int failuresInARow;
    private int ejections;
    private long ejectedUntil;
    private boolean probing;

    MemberHealth(String name, boolean local) {
        this.name = name;
        this.local = local;
        this.up = local;
    }

    String name() {
        return name;
    }

    /** Whether it is this proxy's own node (calls run on local workers, no network). */
    boolean local() {
        return local;
    }

    boolean up() {
        return up;
    }

    /** The link's view: connected and answering pings; a node coming back up is no longer ejected. */
    synchronized void up(boolean up) {
        if (up && !this.up) {
            failuresInARow = 0;
            ejections = 0;
            ejectedUntil = 0;
            probing = false;
        }
        this.up = up || local;
    }

    int outstanding() {
        return outstanding.get();
    }

    /** A call was sent to it. */
    void started() {
        outstanding.incrementAndGet();
    }

    /** Whether a call may go to it now: up, and not ejected (or due for its probe, which this takes). */
    synchronized boolean available(long now, boolean take) {
        if (!up) {
            return false;
        }
        if (ejectedUntil == 0) {
            return true;
        }
        if (now - ejectedUntil < 0 || probing) {
            return false;
        }
        probing |= take;
        return true;
    }

    synchronized boolean ejected() {
        return ejectedUntil != 0;
    }

    /** A call to it ended well. */
    synchronized void succeeded() {
        outstanding.decrementAndGet();
        failuresInARow = 0;
        ejections = 0;
        ejectedUntil = 0;
        probing = false;
    }

    /** A call to it failed for a reason that is the node's (not the caller's deadline, not the handler). */
    synchronized void failed(long now) {
        outstanding.decrementAndGet();
        failuresInARow++;
        if (probing || failuresInARow >= EJECT_AFTER) {
            ejections = Math.min(ejections + 1, MAX_FACTOR);
            ejectedUntil = now + EJECT_NANOS * ejections;
            if (ejectedUntil == 0) {
                ejectedUntil = 1;
            }
            probing = false;
            failuresInARow = 0;
        }
    }

    /** A call to it ended without telling anything about the node (cancelled, the caller's deadline). */
    void abandoned() {
        outstanding.decrementAndGet();
        synchronized (this) {
            probing = false;
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
