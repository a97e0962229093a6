package dev.berth.master;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What a part of the master that serves operators (the admin plane) sees of it. Thread-safe: call
 * from any thread; the answers are computed on the supervisor thread.
 */
public interface MasterView {

    /** The status and counters now; completes within one supervisor tick. */
    CompletableFuture<MasterSnapshot> snapshot();

    /**
     * Calls {@code subscriber} with every later event, on the supervisor thread: it must not
     * block (hand the event to another thread if it has work to do).
     */
    void subscribe(Consumer<MasterEvent> subscriber);
}
