package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.mesh.MeshStatus;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code berth mesh status}: nodes, connections, groups, routes and slots of this host's proxy. */
@Command(name = "status", description = "Show the mesh proxy's nodes, groups and slots.")
final class MeshStatusCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(names = "--json", description = "print the status object as JSON")
    boolean json;

    @Override
    public Integer call() throws Exception {
        String text = MeshStatus.read(config.runDir());
        if (json) {
            System.out.println(text);
            return 0;
        }
        JsonNode s = new ObjectMapper().readTree(text);
        StringBuilder out = new StringBuilder();
        out.append("node ").append(s.path("node").asText()).append(" on ").append(s.path("listen").asText())
                .append(", ").append(s.path("in-flight").asInt()).append(" calls in flight\n\nNODE       UP    CONNS  OUTSTANDING  ADDRESS\n");
        s.path("members").forEach(m -> out.append(String.format("%-10s %-5s %5d  %11d  %s%n", m.path("node").asText(),
                m.path("self").asBoolean() ? "self" : m.path("up").asBoolean() ? "up" : "down", m.path("connections").asInt(),
                m.path("outstanding").asInt(), m.path("address").asText())));
        out.append("\nGROUP        MODE     MEMBERS / ROUTES\n");
        s.path("groups").forEach(g -> out.append(String.format("%-12s %-8s %s%n", g.path("name").asText(),
                g.path("mode").asText(), g.path("mode").asText().equals("keyed") ? g.path("routes") : g.path("members"))));
        out.append("\nSLOTS ").append(s.path("slots").path("used").size()).append(" of ")
                .append(s.path("slots").path("capacity").asInt()).append(" in use\n");
        s.path("slots").path("used").forEach(u -> out.append(String.format("  slot %-3d pid %-8d gen %-4d calls %-8d served %d%n",
                u.path("slot").asInt(), u.path("pid").asLong(), u.path("generation").asInt(), u.path("calls").asLong(),
                u.path("served").asLong())));
        System.out.print(out);
        return 0;
    }
}
