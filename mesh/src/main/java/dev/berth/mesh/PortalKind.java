package dev.berth.mesh;

import dev.berth.config.ConfigSection;
import dev.berth.config.HostConfig;
import dev.berth.config.MeshConfig;
import dev.berth.service.ServiceContext;
import dev.berth.service.ServiceHandler;
import dev.berth.service.ServiceKind;
import dev.berth.service.ServiceSettings;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code portal} kind, the seed's demo front end: {@code GET /portal?key=K[&type=T]} calls every
 * group of {@code parts} in parallel through the mesh and answers {@code {"key": K, "parts":
 * [{"group", "mode", "node", "ok", "micros"}]}}; {@code GET /} shows the same as an HTML page.
 *
 * <pre>
 * services:
 *   - {name: portal, kind: portal, pool: web, listen: ["0.0.0.0:8080"], portal: {parts: [quotes, portfolio, photos]}}
 * </pre>
 */
public final class PortalKind implements ServiceKind {

    /** For {@link java.util.ServiceLoader}. */
    public PortalKind() {
    }

    @Override
    public String name() {
        return "portal";
    }

    @Override
    public ServiceSettings parseSettings(ConfigSection section) {
        throw section.error("parts", "kind portal needs the whole config", "");
    }

    @Override
    public ServiceSettings parseSettings(ConfigSection section, HostConfig host) {
        section.rejectUnknownKeys(Set.of("parts", "timeout"));
        MeshConfig mesh = KindSupport.mesh(section, host, name());
        List<String> parts = section.strings("parts");
        if (parts.isEmpty()) {
            throw section.error("parts", "missing", "a list of mesh groups, like [quotes, portfolio, photos]");
        }
        Map<String, MeshConfig.Mode> modes = new LinkedHashMap<>();
        for (String part : parts) {
            MeshConfig.Group group = mesh.groups().get(part);
            if (group == null) {
                throw section.error("parts", "\"" + part + "\" is not a group of mesh.groups", String.join(", ",
                        mesh.groups().keySet()));
            }
            modes.put(part, group.mode());
        }
        return new Settings(modes, section.duration("timeout", java.time.Duration.ofSeconds(2)), host.master().runDir());
    }

    @Override
    public ServiceHandler newHandler(ServiceSettings settings, ServiceContext context) {
        if (!(settings instanceof Settings s)) {
            throw new IllegalArgumentException("settings: not from the portal kind: " + settings);
        }
        Mesh mesh = Mesh.shared(s.runDir());
        Portal portal = new Portal(mesh, s.parts(), s.timeout());
        return channel -> channel.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(8192),
                new PortalHandler(portal, context.requests()));
    }

    /**
     * @param parts the groups to call and their modes, in order
     * @param timeout the deadline of the whole page
     * @param runDir where the slot file is
     */
    record Settings(Map<String, MeshConfig.Mode> parts, java.time.Duration timeout, Path runDir) implements ServiceSettings {
    }
}
