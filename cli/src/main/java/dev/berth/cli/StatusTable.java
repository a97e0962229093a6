package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.master.JsonTree;

/** Renders a status object for a person: one line per service, one row per worker. */
final class StatusTable {

    private StatusTable() {
    }

    static String render(JsonNode status) {
        StringBuilder out = new StringBuilder();
        JsonNode master = status.path("master");
        out.append(String.format("master pid %d, generation %d, up %ds%s%n", master.path("pid").asLong(),
                master.path("generation").asLong(), master.path("uptime-ms").asLong() / 1000,
                master.path("admin").asText().isEmpty() ? "" : ", admin http://" + master.path("admin").asText() + "/"));
        for (JsonNode s : status.path("services")) {
            out.append(String.format("service %-16s kind %-8s pool %-10s listen %s%n", s.path("name").asText(),
                    s.path("kind").asText(), s.path("pool").asText(), JsonTree.write(s.path("listen"))));
        }
        for (JsonNode p : status.path("pools")) {
            out.append(String.format("%npool %s  accept %s  size %d (%d..%d)  load %d‰  restarts %d%s%n  sizing: %s%n",
                    p.path("name").asText(), p.path("accept").asText(), p.path("size").asInt(), p.path("min").asInt(),
                    p.path("max").asInt(), p.path("load-permille").asInt(), p.path("restarts").asLong(),
                    p.path("throttled").asBoolean() ? "  THROTTLED (crash loop)" : "", p.path("sizing").asText()));
            out.append(String.format("  %4s %8s %4s %-9s %7s %10s %10s %9s%n",
                    "id", "pid", "gen", "state", "active", "accepted", "served", "beat-ms"));
            for (JsonNode d : p.path("dispatchers")) {
                out.append(String.format("  dispatcher pid %d gen %d %s: queued %d, in flight %d, workers linked %d,"
                        + " accepted %d, handed off %d, beat %d ms%n", d.path("pid").asLong(),
                        d.path("generation").asLong(), d.path("state").asText(), d.path("queued").asLong(),
                        d.path("in-flight").asLong(), d.path("links").asLong(), d.path("accepted").asLong(),
                        d.path("handed-off").asLong(), d.path("heartbeat-age-ms").asLong()));
            }
            for (JsonNode w : p.path("workers")) {
                out.append(String.format("  %4d %8d %4d %-9s %7d %10d %10d %9d%n", w.path("id").asInt(),
                        w.path("pid").asLong(), w.path("generation").asLong(), w.path("state").asText(),
                        w.path("active").asLong(), w.path("accepted").asLong(), w.path("served").asLong(),
                        w.path("heartbeat-age-ms").asLong()));
            }
        }
        tenancy(status.path("tenancy"), out);
        JsonNode events = status.path("events");
        if (!events.isEmpty()) {
            out.append(String.format("%nlast events%n"));
            for (int i = Math.max(0, events.size() - 5); i < events.size(); i++) {
                JsonNode e = events.get(i);
                out.append(String.format("  %s %s%s %s: %s%n", e.path("time").asText(), e.path("event").asText(),
                        e.path("cause").asText().isEmpty() ? "" : " " + e.path("cause").asText(), e.path("pool").asText(),
                        e.path("message").asText()));
            }
        }
        return out.toString();
    }

    /** The tenant groups' address table and counts (DESIGN.md §7), when the config has groups. */
    private static void tenancy(JsonNode tenancy, StringBuilder out) {
        if (tenancy.isMissingNode()) {
            return;
        }
        out.append(String.format("%naddresses%n  %-40s %-12s %-12s %-9s %s%n", "address", "group", "interface", "state",
                "since"));
        for (JsonNode a : tenancy.path("addresses")) {
            out.append(String.format("  %-40s %-12s %-12s %-9s %s%n", a.path("address").asText(), a.path("group").asText(),
                    a.path("interface").asText().isEmpty() ? "(config)" : a.path("interface").asText(),
                    a.path("state").asText(), a.path("since").asText()));
        }
        out.append(String.format("%nclassified%n  %-16s %-12s %-26s %10s%n", "service", "group", "how", "connections"));
        for (JsonNode c : tenancy.path("counts")) {
            out.append(String.format("  %-16s %-12s %-26s %10d%n", c.path("service").asText(),
                    c.path("group").asText().isEmpty() ? "-" : c.path("group").asText(), c.path("how").asText(),
                    c.path("count").asLong()));
        }
    }
}
