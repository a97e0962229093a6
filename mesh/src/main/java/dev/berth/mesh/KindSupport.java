package dev.berth.mesh;

import dev.berth.config.ConfigSection;
import dev.berth.config.HostConfig;
import dev.berth.config.MeshConfig;
import dev.berth.config.ServiceConfig;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the mesh kinds need from the whole config: their service entry and the mesh section. Stateless. */
final class KindSupport {

    private static final Pattern SERVICE_PATH = Pattern.compile("services\\[(\\d+)]\\..*");

    private KindSupport() {
    }

    /** The service entry a kind section belongs to ({@code services[i].kind}). */
    static ServiceConfig service(ConfigSection section, HostConfig host) {
        Matcher m = SERVICE_PATH.matcher(section.path());
        if (!m.matches() || Integer.parseInt(m.group(1)) >= host.services().size()) {
            throw section.error("", "is not the section of a service entry", "a service's own section");
        }
        return host.services().get(Integer.parseInt(m.group(1)));
    }

    /** The mesh section, or a located error saying the kind needs one. */
    static MeshConfig mesh(ConfigSection section, HostConfig host, String kind) {
        return host.mesh().orElseThrow(() -> section.error("", "kind " + kind + " needs a mesh section",
                "a top-level mesh: section (DESIGN.md section 8)"));
    }
}
