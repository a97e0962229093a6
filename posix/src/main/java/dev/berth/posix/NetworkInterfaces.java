package dev.berth.posix;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Adds, removes and lists interface addresses through NETLINK_ROUTE, as {@code ip addr} does.
 * Changing addresses needs CAP_NET_ADMIN in the network namespace. Each call opens its own
 * netlink socket, so calls may run on any thread; each blocks for the kernel's answer (at most
 * a second).
 */
public final class NetworkInterfaces {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    private NetworkInterfaces() {
    }

    /**
     * The index of the interface called {@code name}.
     *
     * @throws PosixException when there is no such interface (ENODEV)
     */
    public static int index(String name) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment state = Native.callState(call);
            int index = (int) Native.IfNametoindex.HANDLE.invokeExact(state, call.allocateFrom(name));
            if (index == 0) {
                throw Native.failure("if_nametoindex(" + name + ")", state);
            }
            return index;
        } catch (Throwable e) {
            throw Native.unexpected(e);
        }
    }

    /**
     * Adds an address to an interface. IPv6 addresses skip duplicate address detection, so they
     * can be bound at once.
     *
     * @throws PosixException when the kernel refuses (EEXIST: already there, EPERM: no CAP_NET_ADMIN)
     */
    public static void add(InterfaceAddress address) {
        change(seq -> IfAddrCodec.add(address, seq), "add " + address.address().getHostAddress());
    }

    /**
     * Removes an address from its interface.
     *
     * @throws PosixException when the kernel refuses (EADDRNOTAVAIL: not there, EPERM)
     */
    public static void remove(InterfaceAddress address) {
        change(seq -> IfAddrCodec.remove(address, seq), "remove " + address.address().getHostAddress());
    }

    /** Every address of every interface in this network namespace. */
    public static List<InterfaceAddress> list() {
        try (NetlinkSocket socket = NetlinkSocket.open(Native.NETLINK_ROUTE, TIMEOUT)) {
            int seq = socket.nextSeq();
            return IfAddrCodec.addresses(socket.exchange(IfAddrCodec.list(seq), seq));
        }
    }

    /** Where {@code address} is configured, if on any interface. */
    public static Optional<InterfaceAddress> find(InetAddress address) {
        return list().stream().filter(a -> a.address().equals(address)).findFirst();
    }

    private static void change(java.util.function.IntFunction<byte[]> request, String what) {
        try (NetlinkSocket socket = NetlinkSocket.open(Native.NETLINK_ROUTE, TIMEOUT)) {
            int seq = socket.nextSeq();
            NetlinkMessages.Message answer = socket.exchange(request.apply(seq), seq).getLast();
            if (answer.type() == NetlinkMessages.NLMSG_ERROR && answer.error() != 0) {
                int errno = -answer.error();
                throw new PosixException("netlink " + what, errno, Native.describe(errno));
            }
        }
    }
}
