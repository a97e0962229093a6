package dev.berth.mailproxy;

import dev.berth.scan.Spool;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * What the scanning sessions of one {@code pop3-proxy} service share. Immutable and thread-safe;
 * owned by the service handler, which closes the spool.
 *
 * @param scanner judges a message
 * @param executor where scans, spool writes and the sending of scanned messages run (virtual
 *     threads); never an event loop
 * @param spool where a message past {@link #MEMORY} octets waits for its verdict
 * @param maxSize {@code scan-max-size}: the most octets of one message held (on disk) for a scan
 */
record ScanRuntime(MessageScanner scanner, Executor executor, Spool spool, long maxSize) {

    /** The octets of one message a connection holds in memory; more go to the spool. */
    static final int MEMORY = 256 * 1024;

    /** Checks the arguments. */
    ScanRuntime {
        Objects.requireNonNull(scanner, "scanner");
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(spool, "spool");
        if (maxSize < 1) {
            throw new IllegalArgumentException("maxSize: not positive: " + maxSize);
        }
    }
}
