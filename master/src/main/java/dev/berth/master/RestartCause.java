package dev.berth.master;

import java.util.Locale;

/**
 * Why a worker left its pool to be replaced ({@code berth_worker_restarts_total{cause}}).
 */
public enum RestartCause {
    /** It exited (or failed to start) without being asked. */
    CRASH,
    /** Its heartbeat went stale past {@code hang-timeout}: SIGQUIT, then SIGKILL. */
    HANG,
    /** It took {@code max-requests} connections and was replaced, replacement first. */
    RECYCLE,
    /** A reload made a new generation ready, or removed its pool, and it drained. */
    RELOAD,
    /** The pool shrank on low load and it drained. */
    SCALE;

    /** The label: {@code crash}, {@code hang}, ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
