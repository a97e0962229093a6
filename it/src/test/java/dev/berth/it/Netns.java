package dev.berth.it;

import dev.berth.testpeers.Commands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A network namespace the test makes for itself, joined to the test's own namespace by a veth pair
 * (DESIGN.md §11: tests talk only to loopback or to namespaces they create): the host end has
 * {@code 10.N.M.1/24}, the namespace end {@code 10.N.M.2/24} plus the tenants' addresses
 * {@code 10.N.M.11}, {@code .12}, ...; the host routes to all of them through the pair. Names carry
 * a unique prefix ({@code bt}) and everything is removed by {@link #close} (deleting the namespace
 * deletes its end of the pair, which deletes the pair). Or, for hosts that talk to each other
 * (the mesh's), a {@link #bridge} namespace and namespaces that {@link #join} it.
 */
final class Netns implements AutoCloseable {

    private final String name;
    private final String hostEnd;
    private final String innerEnd;
    private final String net;

    /** On a bridge ({@link #bridge}): the namespaces joined so far. */
    private int joined;
    /** Where {@link #hostsFile} wrote, removed by {@link #close}. */
    private Path etc;

    private final String address;

    private Netns(String name, String net, String address) {
        this.name = name;
        this.hostEnd = name + "h";
        this.innerEnd = name + "n";
        this.net = net;
        this.address = address;
    }

    /** A fresh name and network, {@code 10.N.M.0/24}, made of one random id; its own address .2. */
    private static Netns fresh() {
        int id = ThreadLocalRandom.current().nextInt(0x10000, 0xfffff);
        String net = "10." + (200 + (id & 0x1f)) + "." + ((id >> 5) & 0xff);
        return new Netns("bt" + Integer.toHexString(id), net, net + ".2");
    }

    /** Makes the namespace, the pair and {@code tenants} tenant addresses (.11, .12, ...). */
    static Netns create(int tenants) {
        Netns ns = fresh();
        String name = ns.name;
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

    /**
     * A namespace that holds only a bridge, which {@link #join} connects new namespaces to: hosts
     * on a network of their own ({@code 10.N.M.0/24}) that reach each other and nothing else, the
     * test's own namespace included. Its {@link #close} removes it; each joined one closes itself.
     */
    static Netns bridge() {
        Netns hub = fresh();
        try {
            hub.ip("netns", "add", hub.name);
            hub.inside("ip", "link", "add", "br0", "type", "bridge");
            hub.inside("ip", "link", "set", "br0", "up");
            return hub;
        } catch (RuntimeException e) {
            hub.close();
            throw e;
        }
    }

    /**
     * A new namespace on this bridge: its {@code eth0} is {@code 10.N.M.K/24} ({@link #inner}), K
     * counting the joined namespaces from 1, and its loopback is up.
     */
    Netns join() {
        Netns member = new Netns(fresh().name, net, net + "." + (++joined));
        try {
            ip("netns", "add", member.name);
            inside("ip", "link", "add", member.hostEnd, "type", "veth", "peer", "name", "eth0", "netns", member.name);
            inside("ip", "link", "set", member.hostEnd, "master", "br0", "up");
            member.inside("ip", "addr", "add", member.address + "/24", "dev", "eth0");
            member.inside("ip", "link", "set", "eth0", "up");
            member.inside("ip", "link", "set", "lo", "up");
            return member;
        } catch (RuntimeException e) {
            member.close();
            throw e;
        }
    }

    /** Writes {@code /etc/hosts} as programs run with {@link #exec} see it ({@code /etc/netns/NAME/hosts}). */
    void hostsFile(String text) {
        try {
            etc = Files.createDirectories(Path.of("/etc/netns", name));
            Files.writeString(etc.resolve("hosts"), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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

    /** The inner end's own address, {@code 10.N.M.2} (no tenant owns it); on a bridge, {@code eth0}'s. */
    String inner() {
        return address;
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
        if (etc != null) {
            try (var files = Files.walk(etc)) {
                for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            } catch (IOException e) {
                System.err.println(etc + " not removed: " + e.getMessage());
            }
        }
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
