package dev.berth.tenancy;

import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Whether an address is one of this host's (its network namespace's interface addresses), so that
 * a connection from a local process is told from a remote one whatever source address the kernel
 * gave it: a process that dials a group's address without binding speaks from the primary address
 * of that subnet, which no group need claim (docs/adr/0014). The set is read again when it is
 * older than {@value #REFRESH_MS} ms, on the thread that asks; thread-safe.
 */
public final class HostAddresses implements Predicate<InetAddress> {

    private static final System.Logger LOG = System.getLogger(HostAddresses.class.getName());
    static final long REFRESH_MS = 5_000;

    private record Snapshot(Set<InetAddress> addresses, long readAt) {
    }

    private final LongSupplier clock;
    private volatile Snapshot snapshot;

    /**
     * @param clock monotonic milliseconds
     */
    public HostAddresses(LongSupplier clock) {
        this.clock = clock;
        this.snapshot = new Snapshot(read(), clock.getAsLong());
    }

    @Override
    public boolean test(InetAddress address) {
        Snapshot now = snapshot;
        long at = clock.getAsLong();
        if (at - now.readAt() >= REFRESH_MS) {
            now = new Snapshot(read(), at);
            snapshot = now;
        }
        return now.addresses().contains(Addresses.normalize(address));
    }

    private static Set<InetAddress> read() {
        try {
            return NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
                    .map(Addresses::normalize).collect(Collectors.toUnmodifiableSet());
        } catch (SocketException e) {
            LOG.log(Level.WARNING, "cannot list this host's addresses: " + e.getMessage());
            return Set.of();
        }
    }
}
