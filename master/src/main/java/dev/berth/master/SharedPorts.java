package dev.berth.master;

import dev.berth.config.HostConfig;
import dev.berth.config.ListenAddress;
import dev.berth.config.ServiceConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The listen addresses that share a port with a wildcard of their family: a specific address next
 * to {@code 0.0.0.0} (or {@code [::]}) on the same port, and that wildcard. Linux lets both listen
 * only when both have SO_REUSEPORT, and then prefers the specific one, as the seed's socket table
 * does (docs/adr/0014). Stateless.
 */
final class SharedPorts {

    private SharedPorts() {
    }

    /** Every address of the config that must be bound with SO_REUSEPORT for its port's partner. */
    static Set<ListenAddress> of(HostConfig config) {
        List<ListenAddress> all = new ArrayList<>();
        for (ServiceConfig service : config.services()) {
            all.addAll(service.listen());
        }
        Set<ListenAddress> shared = new HashSet<>();
        for (ListenAddress a : all) {
            for (ListenAddress b : all) {
                if (a.port() != 0 && a.port() == b.port() && a.ipv6() == b.ipv6() && wildcard(a) != wildcard(b)) {
                    shared.add(a);
                    shared.add(b);
                }
            }
        }
        return shared;
    }

    private static boolean wildcard(ListenAddress address) {
        return address.toSocketAddress().getAddress().isAnyLocalAddress();
    }
}
