package dev.berth.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the {@code mesh:} section into a {@link MeshConfig}. Confined to the calling thread; used once. */
final class MeshReader {

    private static final Set<String> KEYS = HostConfigReader.ordered("node", "listen", "members", "slots", "slot-size",
            "groups", "connections", "ping-interval", "ping-failures", "awake");
    private static final Set<String> GROUP_KEYS = HostConfigReader.ordered("mode", "members", "routes");
    private static final Set<String> DNS_KEYS = HostConfigReader.ordered("dns", "every");
    private static final Pattern NODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final Pattern MEMBER = Pattern.compile("([^=]+)=(\\[[^\\]]+\\]|[^:\\[\\]]+):([0-9]{1,5})");
    private static final Pattern HOST_PORT = Pattern.compile("(\\[[^\\]]+\\]|[^:\\[\\]]+):([0-9]{1,5})");
    private static final String NODE_ACCEPTED = "letters, digits, '.', '_' and '-', like a or berth-0";
    private static final String MEMBERS_ACCEPTED = "a list of name=host:port, like [a=10.77.1.1:7400, b=10.77.1.2:7400],"
            + " or {dns: NAME:PORT, every: 5s}";
    private static final String MODE_ACCEPTED = "normal, routed or keyed";

    private final Problems problems;

    MeshReader(Problems problems) {
        this.problems = problems;
    }

    /** The mesh, or empty when the file has no {@code mesh:} section or it has problems (recorded). */
    Optional<MeshConfig> read(ConfigSection top) {
        if (!top.has("mesh")) {
            return Optional.empty();
        }
        int before = problems.count();
        ConfigSection m = problems.read(() -> top.section("mesh"), ConfigSection.empty(top.location().file(), "mesh"));
        problems.check(() -> m.rejectUnknownKeys(KEYS));
        Optional<String> node = problems.read(() -> m.string("node").map(n -> name(m, "node", n)), Optional.empty());
        ListenAddress listen = problems.read(() -> listen(m), null);
        MeshConfig.Members members = problems.read(() -> members(m), new MeshConfig.Members.Listed(List.of()));
        int slots = problems.read(() -> m.integer("slots", MeshConfig.DEFAULT_SLOTS, 1, 65536), MeshConfig.DEFAULT_SLOTS);
        long slotSize = problems.read(() -> slotSize(m), MeshConfig.DEFAULT_SLOT_SIZE);
        int connections = problems.read(() -> m.integer("connections", 1, 1, 2), 1);
        Duration ping = problems.read(() -> m.duration("ping-interval", Duration.ofSeconds(1), Duration.ofMillis(10)),
                Duration.ofSeconds(1));
        int pingFailures = problems.read(() -> m.integer("ping-failures", 3, 1, 100), 3);
        Duration awake = problems.read(() -> awake(m), MeshConfig.DEFAULT_AWAKE);
        Map<String, MeshConfig.Group> groups = groups(m, members);
        if (problems.count() != before || listen == null) {
            return Optional.empty();
        }
        return Optional.of(new MeshConfig(node, listen, members, slots, slotSize, groups, connections, ping, pingFailures,
                awake));
    }

    private static String name(ConfigSection s, String key, String name) {
        if (!NODE.matcher(name).matches()) {
            throw s.error(key, Messages.quote(name) + " is not a node name", NODE_ACCEPTED);
        }
        return name;
    }

    private static ListenAddress listen(ConfigSection m) {
        String text = m.string("listen").orElseThrow(() -> m.error("listen", "missing", ListenAddress.ACCEPTED));
        try {
            return ListenAddress.parse(text);
        } catch (IllegalArgumentException e) {
            throw m.error("listen", e.getMessage(), ListenAddress.ACCEPTED);
        }
    }

    private static Duration awake(ConfigSection m) {
        Duration awake = m.duration("awake", MeshConfig.DEFAULT_AWAKE, Duration.ZERO);
        if (awake.compareTo(MeshConfig.MAX_AWAKE) > 0) {
            throw m.error("awake", Values.format(awake) + " is longer than " + Values.format(MeshConfig.MAX_AWAKE),
                    "a duration from 0 to " + Values.format(MeshConfig.MAX_AWAKE) + ", like 50us or 1ms");
        }
        return awake;
    }

    private static long slotSize(ConfigSection m) {
        long size = m.size("slot-size", MeshConfig.DEFAULT_SLOT_SIZE);
        if (size < 8192 || size > (1L << 30) || Long.bitCount(size) != 1) {
            throw m.error("slot-size", Messages.quote(m.string("slot-size", "")) + " is not a power of two from 8k to 1g",
                    "a power of two from 8k to 1g, like 64k, 256k or 1m");
        }
        return size;
    }

    private MeshConfig.Members members(ConfigSection m) {
        Optional<Node> value = m.value("members");
        if (value.isPresent() && value.get() instanceof Node.Mapping) {
            ConfigSection dns = m.section("members");
            dns.rejectUnknownKeys(DNS_KEYS);
            String text = dns.string("dns").orElseThrow(() -> dns.error("dns", "missing", "NAME:PORT"));
            Matcher hp = HOST_PORT.matcher(text);
            if (!hp.matches() || port(hp.group(2)) == 0) {
                throw dns.error("dns", Messages.quote(text) + " is not NAME:PORT", "a DNS name and a port, like berth-mesh.ns.svc:7400");
            }
            return new MeshConfig.Members.Dns(hp.group(1), port(hp.group(2)),
                    dns.duration("every", Duration.ofSeconds(5), Duration.ofMillis(100)));
        }
        List<String> items = m.strings("members");
        List<MeshConfig.Member> members = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        Problems local = new Problems();
        for (int i = 0; i < items.size(); i++) {
            Matcher mm = MEMBER.matcher(items.get(i));
            String path = "members[" + i + "]";
            if (!mm.matches() || port(mm.group(3)) == 0 || !NODE.matcher(mm.group(1)).matches()) {
                local.add(m.error("members", path + ": " + Messages.quote(items.get(i)) + " is not name=host:port",
                        MEMBERS_ACCEPTED));
            } else if (!names.add(mm.group(1))) {
                local.add(m.error("members", path + ": node " + Messages.quote(mm.group(1)) + " appears twice",
                        "each node once"));
            } else {
                String host = mm.group(2).startsWith("[") ? mm.group(2).substring(1, mm.group(2).length() - 1) : mm.group(2);
                members.add(new MeshConfig.Member(mm.group(1), host, port(mm.group(3))));
            }
        }
        local.throwIfAny();
        return new MeshConfig.Members.Listed(members);
    }

    private static int port(String digits) {
        int port = Integer.parseInt(digits);
        return port > 65535 ? 0 : port;
    }

    private Map<String, MeshConfig.Group> groups(ConfigSection m, MeshConfig.Members members) {
        ConfigSection groups = problems.read(() -> m.section("groups"), ConfigSection.empty(m.location().file(), "mesh.groups"));
        Set<String> known = members instanceof MeshConfig.Members.Listed listed
                ? new LinkedHashSet<>(listed.members().stream().map(MeshConfig.Member::name).toList()) : Set.of();
        Map<String, MeshConfig.Group> result = new LinkedHashMap<>();
        for (String name : groups.keys()) {
            int before = problems.count();
            if (!Names.valid(name)) {
                problems.add(groups.errorAtKey(name, Messages.quote(name) + " is not a valid group name", Names.ACCEPTED));
            }
            ConfigSection g = problems.read(() -> groups.section(name), ConfigSection.empty(m.location().file(), name));
            problems.check(() -> g.rejectUnknownKeys(GROUP_KEYS));
            MeshConfig.Mode mode = problems.read(() -> mode(g), MeshConfig.Mode.NORMAL);
            List<String> groupMembers = problems.read(() -> g.strings("members"), List.of());
            Map<String, String> routes = problems.read(() -> routes(g), Map.of());
            problems.check(() -> checkMembers(g, mode, groupMembers, routes, known));
            if (problems.count() == before) {
                result.put(name, new MeshConfig.Group(name, mode, groupMembers, routes));
            }
        }
        return result;
    }

    private static MeshConfig.Mode mode(ConfigSection g) {
        String text = g.string("mode", "normal");
        try {
            return MeshConfig.Mode.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw g.error("mode", Messages.quote(text) + " is not a mode", MODE_ACCEPTED);
        }
    }

    private static Map<String, String> routes(ConfigSection g) {
        ConfigSection routes = g.section("routes");
        Map<String, String> result = new LinkedHashMap<>();
        for (String type : routes.keys()) {
            result.put(type, routes.string(type).orElseThrow(() -> routes.error(type, "missing", "a member name")));
        }
        return result;
    }

    private static void checkMembers(ConfigSection g, MeshConfig.Mode mode, List<String> members, Map<String, String> routes,
                                     Set<String> known) {
        if (mode == MeshConfig.Mode.KEYED) {
            if (routes.isEmpty()) {
                throw g.error("routes", "a keyed group needs routes", "a mapping of type to member, like {club: c, \"*\": b}");
            }
            for (Map.Entry<String, String> route : routes.entrySet()) {
                if (!known.isEmpty() && !known.contains(route.getValue())) {
                    throw g.error("routes", "route " + Messages.quote(route.getKey()) + " names "
                            + Messages.quote(route.getValue()) + ", which is not a member", Messages.list(known));
                }
            }
            return;
        }
        if (members.isEmpty()) {
            throw g.error("members", "a " + mode.configName() + " group needs members", "a list of member names, or [\"*\"] for all");
        }
        for (String member : members) {
            if (!member.equals("*") && !known.isEmpty() && !known.contains(member)) {
                throw g.error("members", Messages.quote(member) + " is not a member of mesh.members", Messages.list(known));
            }
        }
    }
}
