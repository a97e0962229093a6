package dev.berth.master;

import dev.berth.config.ListenAddress;
import java.io.IOException;

/**
 * The master's admin plane ({@code master.admin}): an HTTP server for operators that only reads
 * the master through a {@link MasterView}. Lives in its own module; the command line hands the
 * master a {@link Factory}. Closed by the master when it exits.
 */
public interface AdminPlane extends AutoCloseable {

    /** The address actually bound, with the real port ({@code 127.0.0.1:43125}). */
    String address();

    /** Stops serving; idempotent. */
    @Override
    void close();

    /** Starts an admin plane. */
    @FunctionalInterface
    interface Factory {

        /** A master without an admin plane: {@code master.admin} is then refused at start. */
        Factory NONE = (address, view) -> {
            throw new MasterException("master.admin is set, but this build has no admin plane");
        };

        /**
         * Binds {@code address} and serves; returns once bound.
         *
         * @throws IOException when the address cannot be bound
         */
        AdminPlane start(ListenAddress address, MasterView view) throws IOException;
    }
}
