package dev.berth.config;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the top-level {@code groups} mapping (name to group): names valid, every group with at
 * least one address, no address claimed twice in the file. Confined to the calling thread.
 */
final class GroupReader {

    static final Set<String> GROUP_KEYS = HostConfigReader.ordered(
            "addresses", "user", "source-address", "loopback", "ephemeral-ports");
    static final Pattern USER = Pattern.compile("[A-Za-z0-9._][A-Za-z0-9._-]{0,31}");
    static final String USER_ACCEPTED = "a user name or numeric id, like nobody or 65534";
    private static final String ADDRESSES_ACCEPTED =
            "a list of numeric addresses the group owns, like [10.77.0.1, \"2001:db8::1\"]";
    private static final String ADDRESS_ACCEPTED = "a numeric unicast IPv4 or IPv6 address without port, like 10.77.0.1";

    private final Problems problems;
    private final SequencedSet<String> names = new LinkedHashSet<>();
    private final Map<String, String> claims = new HashMap<>();

    GroupReader(Problems problems) {
        this.problems = problems;
    }

    /** The groups of the section, in file order; problems go to the pass's list. */
    List<GroupConfig> read(ConfigSection groups) {
        List<GroupConfig> result = new ArrayList<>();
        for (String name : groups.keys()) {
            names.add(name);
            int before = problems.count();
            if (!Names.valid(name)) {
                problems.add(groups.errorAtKey(name, Messages.quote(name) + " is not a valid group name", Names.ACCEPTED));
            } else if (name.equals(GroupConfig.NONE)) {
                problems.add(groups.errorAtKey(name, "\"none\" is reserved: default-group: none means no default group",
                        "any other name"));
            }
            ConfigSection section = problems.read(() -> groups.section(name),
                    ConfigSection.empty(groups.location().file(), groups.pathOf(name)));
            Optional<GroupConfig> group = group(name, section);
            if (problems.count() == before && group.isPresent()) {
                result.add(group.get());
            }
        }
        return result;
    }

    /** Every group name the file defines, valid or not, in file order. */
    SequencedSet<String> names() {
        return names;
    }

    private Optional<GroupConfig> group(String name, ConfigSection g) {
        problems.check(() -> g.rejectUnknownKeys(GROUP_KEYS));
        List<String> addresses = addresses(g);
        Optional<String> user = problems.read(() -> g.string("user").map(u -> {
            if (!USER.matcher(u).matches()) {
                throw g.error("user", Messages.quote(u) + " is not a user name", USER_ACCEPTED);
            }
            return u;
        }), Optional.empty());
        SourceAddressPolicy source = problems.read(() -> choice(g, "source-address", "a source-address policy", SourceAddressPolicy.PREFER,
                SourceAddressPolicy::byConfigName, Arrays.stream(SourceAddressPolicy.values())
                        .map(SourceAddressPolicy::configName).toList()), SourceAddressPolicy.PREFER);
        LoopbackPolicy loopback = problems.read(() -> choice(g, "loopback", "a loopback policy", LoopbackPolicy.OWN,
                LoopbackPolicy::byConfigName, Arrays.stream(LoopbackPolicy.values())
                        .map(LoopbackPolicy::configName).toList()), LoopbackPolicy.OWN);
        Optional<PortRange> ports = problems.read(() -> g.string("ephemeral-ports").map(text -> PortRange.parse(text)
                .orElseThrow(() -> g.error("ephemeral-ports", Messages.quote(text) + " is not a port range",
                        PortRange.ACCEPTED))), Optional.empty());
        if (addresses.isEmpty() || !Names.valid(name) || name.equals(GroupConfig.NONE)) {
            return Optional.empty();
        }
        return Optional.of(new GroupConfig(name, addresses, user, source, loopback, ports, g));
    }

    private List<String> addresses(ConfigSection g) {
        Optional<Node> value = g.value("addresses");
        if (value.isEmpty() || value.get() instanceof Node.Sequence s && s.items().isEmpty()) {
            problems.add(g.error("addresses", value.isEmpty() ? "missing: a group without addresses receives nothing"
                    : "found an empty list: a group without addresses receives nothing", ADDRESSES_ACCEPTED));
            return List.of();
        }
        List<Node.Scalar> items = problems.read(() -> ScalarList.read(g, "addresses", ADDRESSES_ACCEPTED), List.of());
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Node.Scalar item = items.get(i);
            String path = g.pathOf("addresses") + "[" + i + "]";
            Optional<String> canonical = IpLiteral.canonical(item.text()).filter(GroupReader::unicast);
            if (canonical.isEmpty()) {
                problems.add(item.location(), path, Messages.quote(item.text()) + " is not a unicast address", ADDRESS_ACCEPTED);
                continue;
            }
            String first = claims.putIfAbsent(canonical.get(), path + " at " + item.location());
            if (first != null) {
                problems.add(item.location(), path, Messages.quote(item.text()) + " is already claimed by " + first,
                        "each address owned by one group");
                continue;
            }
            addresses.add(canonical.get());
        }
        return addresses;
    }

    private static boolean unicast(String canonical) {
        InetAddress address = IpLiteral.address(canonical);
        return !address.isAnyLocalAddress() && !address.isMulticastAddress();
    }

    private static <T> T choice(ConfigSection g, String key, String noun, T fallback, java.util.function.Function<String, Optional<T>> lookup,
                                List<String> accepted) {
        Optional<String> text = g.string(key);
        if (text.isEmpty()) {
            return fallback;
        }
        return lookup.apply(text.get()).orElseThrow(() -> g.error(key, Messages.withSuggestion(
                Messages.quote(text.get()) + " is not " + noun, text.get(), accepted),
                Messages.list(accepted)));
    }
}
