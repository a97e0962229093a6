package dev.berth.tenancy;

import dev.berth.posix.InterfaceAddress;
import dev.berth.posix.NetworkInterfaces;
import java.net.InetAddress;
import java.util.Optional;

/**
 * The host's interface addresses as {@link AddressBook} changes them: netlink through FFM on the
 * host ({@link #NETLINK}), a map in tests. Calls block for the kernel's answer.
 */
public interface Interfaces {

    /** The kernel's, through NETLINK_ROUTE (docs/adr/0015). */
    Interfaces NETLINK = new Interfaces() {
        @Override
        public int index(String device) {
            return NetworkInterfaces.index(device);
        }

        @Override
        public void add(InterfaceAddress address) {
            NetworkInterfaces.add(address);
        }

        @Override
        public void remove(InterfaceAddress address) {
            NetworkInterfaces.remove(address);
        }

        @Override
        public Optional<InterfaceAddress> find(InetAddress address) {
            return NetworkInterfaces.find(address);
        }
    };

    /**
     * The index of a device.
     *
     * @throws dev.berth.posix.PosixException when there is no such device
     */
    int index(String device);

    /**
     * Adds an address.
     *
     * @throws dev.berth.posix.PosixException when the kernel refuses (EEXIST, EPERM)
     */
    void add(InterfaceAddress address);

    /**
     * Removes an address.
     *
     * @throws dev.berth.posix.PosixException when the kernel refuses
     */
    void remove(InterfaceAddress address);

    /** Where the address is configured now, if anywhere. */
    Optional<InterfaceAddress> find(InetAddress address);
}
