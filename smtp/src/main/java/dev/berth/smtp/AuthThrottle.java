package dev.berth.smtp;

import dev.berth.scoreboard.ClientTable;
import java.lang.System.Logger.Level;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Failed AUTH per client across every connection and worker of the host: after
 * {@code limits.auth-failures} failures from one address (an IPv6 client by its /64, where one
 * host has many addresses) within {@code limits.auth-failure-window} of the first, AUTH from
 * there is refused with 454 4.7.0 without checking any password, until the window ends. The
 * counts live in the host's {@link ClientTable}, so neither new connections nor other workers
 * give a guesser more tries; the moment the limit is reached is logged once.
 *
 * <p>Thread-safe; never blocks (the table is lock-free shared memory). Time comes from a
 * monotonic seconds supplier, so tests move it by hand.
 */
final class AuthThrottle {

    private static final System.Logger LOG = System.getLogger(AuthThrottle.class.getName());

    private final ClientTable table;
    private final String service;
    private final int maxFailures;
    private final long window;
    private final LongSupplier seconds;

    /**
     * @param seconds monotonic seconds, comparable across the host's processes
     *     ({@code System.nanoTime() / 1e9})
     */
    AuthThrottle(ClientTable table, String service, int maxFailures, Duration window, LongSupplier seconds) {
        this.table = table;
        this.service = service;
        this.maxFailures = maxFailures;
        this.window = Math.max(1, window.toSeconds());
        this.seconds = seconds;
    }

    /** What one session asks about its client. */
    interface Guard {
        /** Whether AUTH is refused now (too many recent failures from this client). */
        boolean refuses();

        /** Counts a failed AUTH of this client. */
        void failed();
    }

    /** The guard of one client address. */
    Guard forClient(InetAddress client) {
        long key = ClientTable.key("smtp-auth", service, block(client));
        return new Guard() {
            @Override
            public boolean refuses() {
                return table.count(key, seconds.getAsLong(), window) >= maxFailures;
            }

            @Override
            public void failed() {
                if (table.add(key, seconds.getAsLong(), window) == maxFailures) {
                    LOG.log(Level.WARNING, service + ": AUTH refused to " + client.getHostAddress()
                            + (client instanceof Inet4Address ? "" : "/64") + " for up to " + window + "s: "
                            + maxFailures + " failed authentications");
                }
            }
        };
    }

    /** The address, or the /64 of an IPv6 one. */
    private static byte[] block(InetAddress client) {
        byte[] bytes = client.getAddress();
        return bytes.length == 16 ? Arrays.copyOf(bytes, 8) : bytes;
    }
}
