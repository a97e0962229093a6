package dev.berth.it;

import dev.berth.testpeers.Commands;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A network namespace the test makes for itself, joined to the test's own namespace by a veth pair
 * (DESIGN.md §11: tests talk only to loopback or to namespaces they create): the host end has
 * {@code 10.N.M.1/24}, the namespace end {@code 10.N.M.2/24} plus the tenants' addresses
 * {@code 10.N.M.11}, {@code .12}, ...; the host routes to all of them through the pair. Names carry
 * a unique prefix ({@code bt}) and everything is removed by {@link #close} (deleting the namespace
 * deletes its end of the pair, which deletes the pair).
 */
final class Netns implements AutoCloseable {

    private final String name;
    private final String hostEnd;
    private final String innerEnd;
    private final String net;

    private Netns(String name, String net) {
        this.name = name;
        this.hostEnd = name + "h";
        this.innerEnd = name + "n";
        this.net = net;
    }

    /** Makes the namespace, the pair and {@code tenants} tenant addresses (.11, .12, ...). */
    static Netns create(int tenants) {
        int id = ThreadLocalRandom.current().nextInt(0x10000, 0xfffff);
        String name = "bt" + Integer.toHexString(id);
        Netns ns = new Netns(name, "10." + (200 + (id & 0x1f)) + "." + ((id >> 5) & 0xff));
        try {
            ns.ip("netns", "add", name);
            ns.ip("link", "add", ns.hostEnd, "type", "veth", "peer", "name", ns.innerEnd);
            ns.ip("link", "set", ns.innerEnd, "netns", name);
            ns.ip("addr", "add", ns.net + ".1/24", "dev", ns.hostEnd);
            ns.ip("link", "set", ns.hostEnd, "up");
            ns.inside("ip", "link", "set", "lo", "up");
            ns.inside("ip", "addr", "add", ns.net + ".2/24", "dev", ns.innerEnd);
            for (int i = 1; i <= tenants; i++) {
                ns.inside("ip", "addr", "add", ns.tenant(i) + "/24", "dev", ns.innerEnd);
            }
            ns.inside("ip", "link", "set", ns.innerEnd, "up");
            ns.inside("ip", "route", "add", "default", "via", ns.net + ".1");
            return ns;
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
    }

    /** The namespace's name. */
    String name() {
        return name;
    }

    /** The inner end of the pair, where the tenants' addresses are ({@code dev} for {@code berth addr}). */
    String device() {
        return innerEnd;
    }

    /** The test's own end of the pair: {@code 10.N.M.1}, where peers that berth connects to listen. */
    String host() {
        return net + ".1";
    }

    /** The inner end's own address, {@code 10.N.M.2}: no tenant owns it. */
    String inner() {
        return net + ".2";
    }

    /** The {@code i}-th tenant address inside ({@code 10.N.M.(10 + i)}), from 1. */
    String tenant(int i) {
        return net + "." + (10 + i);
    }

    /** The same, as an address. */
    InetAddress tenantAddress(int i) {
        return InetAddress.ofLiteral(tenant(i));
    }

    /** {@code command} run inside the namespace: the prefix {@code ip netns exec NAME}. */
    List<String> exec(String... command) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", name));
        all.addAll(List.of(command));
        return all;
    }

    /**
     * Ports free inside the namespace, asked of its kernel (nothing else runs there, so they stay
     * free until berth binds them).
     */
    int[] freePorts(int n) {
        String out = inside("python3", "-c", "import socket\n"
                + "s=[socket.socket() for _ in range(" + n + ")]\n"
                + "[x.bind(('0.0.0.0',0)) for x in s]\n"
                + "print(' '.join(str(x.getsockname()[1]) for x in s))");
        return java.util.Arrays.stream(out.trim().split(" ")).mapToInt(Integer::parseInt).toArray();
    }

    /** Runs a command inside; its output. */
    String inside(String... command) {
        return Commands.output(exec(command));
    }

    private void ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        Commands.output(command);
    }

    /** Deletes the namespace (and with it the pair). Never throws. */
    @Override
    public void close() {
        try {
            Commands.output(List.of("ip", "netns", "del", name));
        } catch (RuntimeException e) {
            System.err.println("netns " + name + " not deleted: " + e.getMessage());
        }
        try {
            Commands.output(List.of("ip", "link", "del", hostEnd));
        } catch (RuntimeException gone) {
            // deleting the namespace took the pair with it
        }
    }
}
