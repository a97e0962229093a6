package dev.berth.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.SequencedSet;
import java.util.Set;

/**
 * Reads a service's {@code groups} (a list of group names, or a mapping from group name to
 * overrides of the kind's section) and its {@code default-group}. Confined to the calling thread.
 */
final class ServiceGroupsReader {

    static final String GROUPS_ACCEPTED = "a list of group names like [acme, globex], or a mapping from group name"
            + " to overrides like {acme: {KIND: {...}}}";

    private final SequencedSet<String> defined;
    private final Problems problems;

    /**
     * @param defined every group name the file defines
     */
    ServiceGroupsReader(SequencedSet<String> defined, Problems problems) {
        this.defined = defined;
        this.problems = problems;
    }

    /** The service's groups with merged settings; empty when it has none or they are invalid. */
    List<ServiceGroup> groups(ConfigSection s, String kind, ConfigSection base) {
        Optional<Node> value = s.value("groups");
        if (value.isEmpty()) {
            return List.of();
        }
        return switch (value.get()) {
            case Node.Sequence seq when seq.items().isEmpty() -> {
                problems.add(s.error("groups", "found an empty list", GROUPS_ACCEPTED));
                yield List.of();
            }
            case Node.Sequence _ -> listed(s, base, kind);
            case Node.Mapping _ -> mapped(s, base, kind);
            case Node other -> {
                problems.add(s.error("groups", "found " + other.describe(), GROUPS_ACCEPTED));
                yield List.of();
            }
        };
    }

    private List<ServiceGroup> listed(ConfigSection s, ConfigSection base, String kind) {
        List<Node.Scalar> items = problems.read(() -> ScalarList.read(s, "groups", GROUPS_ACCEPTED), List.of());
        Set<String> seen = new LinkedHashSet<>();
        List<ServiceGroup> groups = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Node.Scalar item = items.get(i);
            String path = s.pathOf("groups") + "[" + i + "]";
            if (known(item.location(), path, item.text()) && unique(seen, item.location(), path, item.text())) {
                groups.add(new ServiceGroup(item.text(), SectionMerge.merge(base, empty(s, path), groupPath(s, item.text(), kind))));
            }
        }
        return groups;
    }

    private List<ServiceGroup> mapped(ConfigSection s, ConfigSection base, String kind) {
        ConfigSection map = s.section("groups");
        List<ServiceGroup> groups = new ArrayList<>();
        for (String name : map.keys()) {
            Location at = map.entry(name).orElseThrow().keyLocation();
            if (!known(at, map.pathOf(name), name)) {
                continue;
            }
            int before = problems.count();
            ConfigSection overrides = problems.read(() -> map.section(name), empty(map, map.pathOf(name)));
            problems.check(() -> overrides.rejectUnknownKeys(Set.of(kind)));
            ConfigSection kindOverrides = problems.read(() -> overrides.section(kind), empty(overrides, overrides.pathOf(kind)));
            if (problems.count() == before) {
                groups.add(new ServiceGroup(name, SectionMerge.merge(base, kindOverrides, groupPath(s, name, kind))));
            }
        }
        return groups;
    }

    /** The default group: empty for {@code none} or absent; problems go to the pass's list. */
    Optional<String> defaultGroup(ConfigSection s, List<ServiceGroup> groups, boolean groupsValid) {
        Optional<String> value = problems.read(() -> s.string("default-group"), Optional.empty());
        if (value.isEmpty() || value.get().equals(GroupConfig.NONE)) {
            return Optional.empty();
        }
        List<String> names = groups.stream().map(ServiceGroup::name).toList();
        if (!s.has("groups")) {
            problems.add(s.error("default-group", "a service without groups has no default group",
                    "groups: [...] beside it, or no default-group"));
        } else if (groupsValid && !names.contains(value.get())) {
            List<String> accepted = new ArrayList<>(names);
            accepted.add(GroupConfig.NONE);
            problems.add(s.error("default-group", Messages.withSuggestion(Messages.quote(value.get())
                    + " is not one of the service's groups", value.get(), accepted), Messages.list(accepted)));
        } else if (names.contains(value.get())) {
            return value;
        }
        return Optional.empty();
    }

    private boolean known(Location at, String path, String name) {
        if (defined.contains(name)) {
            return true;
        }
        String accepted = defined.isEmpty() ? "a group defined under the top-level groups:" : Messages.list(defined);
        problems.add(at, path, Messages.withSuggestion(Messages.quote(name) + " is not a group", name, defined), accepted);
        return false;
    }

    private boolean unique(Set<String> seen, Location at, String path, String name) {
        if (seen.add(name)) {
            return true;
        }
        problems.add(at, path, Messages.quote(name) + " is listed twice", "each group once");
        return false;
    }

    private static String groupPath(ConfigSection s, String group, String kind) {
        return s.pathOf("groups") + "." + group + "." + kind;
    }

    private static ConfigSection empty(ConfigSection near, String path) {
        return ConfigSection.empty(near.location().file(), path);
    }
}
