package dev.berth.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One validation pass over a config text: the top level and the master section here, pools and
 * services in their own readers. Confined to the calling thread; used once.
 */
final class HostConfigReader {

    private static final Set<String> TOP_KEYS = ordered("master", "pools", "services", "scanners", "groups", "mesh");
    private static final Set<String> MASTER_KEYS = ordered("run-dir", "log-dir", "user", "admin", "log-format");

    private final Path file;
    private final String text;
    private final Set<String> kinds;
    private final Problems problems = new Problems();

    HostConfigReader(Path file, String text, Set<String> kinds) {
        this.file = file;
        this.text = text;
        this.kinds = kinds;
    }

    /** The config, or a {@link ConfigException} with every problem found. */
    HostConfig read() {
        ConfigSection top = top(YamlTreeReader.read(file, text, problems));
        problems.check(() -> top.rejectUnknownKeys(TOP_KEYS));
        MasterConfig master = master(problems.read(() -> top.section("master"), ConfigSection.empty(file, "master")));
        PoolReader pools = new PoolReader(problems);
        List<PoolConfig> defined = pools.read(problems.read(() -> top.section("pools"), ConfigSection.empty(file, "pools")));
        GroupReader groupReader = new GroupReader(problems);
        List<GroupConfig> groups = groupReader.read(problems.read(() -> top.section("groups"), ConfigSection.empty(file, "groups")));
        List<ServiceConfig> services = new ServiceReader(file, kinds, pools.names(), groupReader.names(), problems).read(top);
        ConfigSection scanners = problems.read(() -> top.section("scanners"), ConfigSection.empty(file, "scanners"));
        Optional<MeshConfig> mesh = new MeshReader(problems).read(top);
        services.stream().filter(s -> s.meshGroup().isPresent() && !top.has("mesh")).forEach(s -> problems.add(
                s.settings().location(), "services", "service " + s.name() + " has a mesh-group but the file has no mesh section",
                "a mesh section (DESIGN.md section 8)"));
        if (mesh.isPresent() && pools.names().contains("mesh")) {
            problems.add(top.section("pools").errorAtKey("mesh", "pool name \"mesh\" is the mesh proxy's own when the"
                    + " file has a mesh section", "another pool name"));
        }
        problems.throwIfAny();
        List<PoolConfig> all = new ArrayList<>(defined);
        boolean defaultUsed = services.stream().anyMatch(s -> s.pool().equals(PoolConfig.DEFAULT_NAME));
        if (defaultUsed && !pools.names().contains(PoolConfig.DEFAULT_NAME)) {
            all.add(PoolConfig.defaults(PoolConfig.DEFAULT_NAME));
        }
        return new HostConfig(file, text, master, all, services, scanners, groups, mesh);
    }

    /** Sets in the order given, so that messages list accepted keys as documented. */
    static Set<String> ordered(String... keys) {
        return Collections.unmodifiableSequencedSet(new LinkedHashSet<>(List.of(keys)));
    }

    private ConfigSection top(Optional<Node> root) {
        String accepted = "a mapping with the keys " + Messages.list(TOP_KEYS);
        return switch (root.orElse(new Node.Empty(new Location(file, 1, 1)))) {
            case Node.Mapping mapping -> new ConfigSection(file, "", mapping);
            case Node.Empty empty -> throw ConfigException.at(empty.location(), "", "the file has no settings", accepted);
            case Node other -> throw ConfigException.at(other.location(), "", "found " + other.describe(), accepted);
        };
    }

    private MasterConfig master(ConfigSection section) {
        problems.check(() -> section.rejectUnknownKeys(MASTER_KEYS));
        Path base = Values.baseDirectory(file);
        Path runDir = problems.read(() -> section.file("run-dir"), Optional.<Path>empty()).orElse(base.resolve("run"));
        Path logDir = problems.read(() -> section.file("log-dir"), Optional.<Path>empty()).orElse(base.resolve("log"));
        Optional<String> user = problems.read(() -> section.string("user").map(name -> {
            if (!GroupReader.USER.matcher(name).matches()) {
                throw section.error("user", Messages.quote(name) + " is not a user name", GroupReader.USER_ACCEPTED);
            }
            return name;
        }), Optional.empty());
        Optional<ListenAddress> admin = problems.read(() -> section.string("admin").map(text -> {
            try {
                return ListenAddress.parse(text.matches("\\d+") ? "127.0.0.1:" + text : text);
            } catch (IllegalArgumentException e) {
                throw section.error("admin", e.getMessage(), "a port (127.0.0.1 is meant) or " + ListenAddress.ACCEPTED);
            }
        }), Optional.empty());
        MasterConfig.LogFormat format = problems.read(() -> switch (section.string("log-format", "text")) {
            case "text" -> MasterConfig.LogFormat.TEXT;
            case "json" -> MasterConfig.LogFormat.JSON;
            default -> throw section.error("log-format", Messages.quote(section.string("log-format", "text"))
                    + " is not a log format", "text or json");
        }, MasterConfig.LogFormat.TEXT);
        return new MasterConfig(runDir, logDir, user, admin, format);
    }
}
