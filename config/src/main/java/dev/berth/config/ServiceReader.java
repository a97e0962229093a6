package dev.berth.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the {@code services} list: names unique, kinds known, pools defined, listen addresses
 * valid and used once in the whole file. Confined to the calling thread; used once.
 */
final class ServiceReader {

    private static final List<String> BASE_KEYS = List.of("name", "kind", "pool", "listen", "groups", "default-group", "mesh-group");
    private static final String SERVICES_ACCEPTED = "a list of services, each a mapping with name, kind and listen";
    private static final String LISTEN_ACCEPTED = "a list of addresses, like [127.0.0.1:8080, \"[::1]:8080\", \"*:8080\"]";

    private final Path file;
    private final Set<String> kinds;
    private final SequencedSet<String> pools;
    private final Problems problems;
    private final ServiceGroupsReader groups;
    private final Map<String, String> names = new HashMap<>();
    private final Map<ListenAddress, String> addresses = new HashMap<>();

    /**
     * @param definedPools every pool name the file defines
     * @param definedGroups every tenant group name the file defines
     */
    ServiceReader(Path file, Set<String> kinds, SequencedSet<String> definedPools, SequencedSet<String> definedGroups,
                  Problems problems) {
        this.file = file;
        this.kinds = kinds;
        this.pools = new LinkedHashSet<>(definedPools);
        this.pools.add(PoolConfig.DEFAULT_NAME);
        this.problems = problems;
        this.groups = new ServiceGroupsReader(definedGroups, problems);
    }

    /** The valid services of the top-level section, in file order; problems go to the pass's list. */
    List<ServiceConfig> read(ConfigSection top) {
        Optional<Node> value = top.value("services");
        if (value.isEmpty()) {
            problems.add(top.error("services", "missing", SERVICES_ACCEPTED));
            return List.of();
        }
        if (!(value.get() instanceof Node.Sequence sequence) || sequence.items().isEmpty()) {
            problems.add(top.error("services", "found " + value.get().describe(), SERVICES_ACCEPTED));
            return List.of();
        }
        List<ServiceConfig> services = new ArrayList<>();
        for (int i = 0; i < sequence.items().size(); i++) {
            String path = "services[" + i + "]";
            switch (sequence.items().get(i)) {
                case Node.Mapping mapping -> service(new ConfigSection(file, path, mapping)).ifPresent(services::add);
                case Node other -> problems.add(other.location(), path, "found " + other.describe(), "a mapping with name, kind and listen");
            }
        }
        return services;
    }

    private Optional<ServiceConfig> service(ConfigSection s) {
        int before = problems.count();
        String name = problems.read(() -> name(s), "");
        Optional<String> kind = problems.read(() -> Optional.of(kind(s)), Optional.empty());
        String pool = problems.read(() -> pool(s), PoolConfig.DEFAULT_NAME);
        Optional<String> meshGroup = problems.read(() -> meshGroup(s), Optional.empty());
        List<ListenAddress> listen = meshGroup.isPresent() && !s.has("listen") ? List.of() : listen(s);
        Set<String> known = new LinkedHashSet<>(BASE_KEYS);
        known.addAll(kind.map(Set::of).orElse(new TreeSet<>(kinds)));
        problems.check(() -> s.rejectUnknownKeys(known));
        Optional<ConfigSection> settings = kind.flatMap(k -> problems.read(() -> Optional.of(s.section(k)), Optional.empty()));
        int beforeGroups = problems.count();
        List<ServiceGroup> grouped = kind.isPresent() && settings.isPresent()
                ? groups.groups(s, kind.get(), settings.get()) : List.of();
        Optional<String> defaultGroup = groups.defaultGroup(s, grouped, problems.count() == beforeGroups);
        if (problems.count() != before || kind.isEmpty() || settings.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ServiceConfig(name, kind.get(), pool, listen, settings.get(), grouped, defaultGroup, meshGroup));
    }

    private String name(ConfigSection s) {
        String name = required(s, "name", Names.ACCEPTED);
        if (!Names.valid(name)) {
            throw s.error("name", Messages.quote(name) + " is not a valid service name", Names.ACCEPTED);
        }
        String where = s.path() + " at " + s.entry("name").map(e -> e.value().location()).orElse(s.location());
        String first = names.putIfAbsent(name, where);
        if (first != null) {
            throw s.error("name", Messages.quote(name) + " is already the name of " + first, "a name used once in the file");
        }
        return name;
    }

    private String kind(ConfigSection s) {
        String accepted = Messages.list(kinds);
        String kind = required(s, "kind", accepted);
        if (!kinds.contains(kind)) {
            String problem = Messages.withSuggestion(Messages.quote(kind) + " is not a known kind", kind, kinds);
            throw s.error("kind", problem, accepted);
        }
        return kind;
    }

    private String pool(ConfigSection s) {
        String pool = s.string("pool", PoolConfig.DEFAULT_NAME);
        if (!Names.valid(pool)) {
            // the pools section reported the bad name already; a service naming it must not reach
            // ServiceConfig's check, which throws without a location (found by ConfigFuzzTest)
            throw s.error("pool", Messages.quote(pool) + " is not a valid pool name", Names.ACCEPTED);
        }
        if (!pools.contains(pool)) {
            String problem = Messages.withSuggestion(Messages.quote(pool) + " is not a pool", pool, pools);
            throw s.error("pool", problem, Messages.list(pools));
        }
        return pool;
    }

    private List<ListenAddress> listen(ConfigSection s) {
        Optional<Node> value = s.value("listen");
        if (value.isEmpty() || value.get() instanceof Node.Sequence sequence && sequence.items().isEmpty()) {
            problems.add(s.error("listen", value.isEmpty() ? "missing" : "found an empty list", LISTEN_ACCEPTED));
            return List.of();
        }
        List<Node.Scalar> items = problems.read(() -> ScalarList.read(s, "listen", LISTEN_ACCEPTED), List.of());
        List<ListenAddress> listen = new ArrayList<>();
        for (int j = 0; j < items.size(); j++) {
            Node.Scalar item = items.get(j);
            String path = s.pathOf("listen") + "[" + j + "]";
            try {
                ListenAddress address = ListenAddress.parse(item.text());
                listen.add(address);
                String first = address.port() == 0 ? "" : addresses.putIfAbsent(address, path + " at " + item.location());
                if (first != null && !first.isEmpty()) {
                    problems.add(item.location(), path, Messages.quote(item.text()) + " is already used by " + first,
                            "each address once in the whole file (port 0 may repeat)");
                }
            } catch (IllegalArgumentException e) {
                problems.add(item.location(), path, e.getMessage(), ListenAddress.ACCEPTED);
            }
        }
        return listen;
    }

    private static Optional<String> meshGroup(ConfigSection s) {
        Optional<String> group = s.string("mesh-group");
        if (group.isPresent() && !Names.valid(group.get())) {
            throw s.error("mesh-group", Messages.quote(group.get()) + " is not a valid group name", Names.ACCEPTED);
        }
        return group;
    }

    private static String required(ConfigSection s, String key, String accepted) {
        return s.string(key).orElseThrow(() -> s.error(key, "missing", accepted));
    }
}
