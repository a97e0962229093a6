package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;

/** Renders a status object for a person: one line per service, one row per worker. */
final class StatusTable {

    private StatusTable() {
    }

    static String render(JsonNode status) {
        StringBuilder out = new StringBuilder();
        JsonNode master = status.path("master");
        out.append(String.format("master pid %d, generation %d, up %ds%n", master.path("pid").asLong(),
                master.path("generation").asLong(), master.path("uptime-ms").asLong() / 1000));
        for (JsonNode s : status.path("services")) {
            out.append(String.format("service %-16s kind %-8s pool %-10s listen %s%n", s.path("name").asText(),
                    s.path("kind").asText(), s.path("pool").asText(), s.path("listen")));
        }
        for (JsonNode p : status.path("pools")) {
            out.append(String.format("%npool %s  accept %s  restarts %d%s%n", p.path("name").asText(),
                    p.path("accept").asText(), p.path("restarts").asLong(),
                    p.path("throttled").asBoolean() ? "  THROTTLED (crash loop)" : ""));
            out.append(String.format("  %4s %8s %4s %-9s %7s %10s %10s %9s%n",
                    "id", "pid", "gen", "state", "active", "accepted", "served", "beat-ms"));
            for (JsonNode w : p.path("workers")) {
                out.append(String.format("  %4d %8d %4d %-9s %7d %10d %10d %9d%n", w.path("id").asInt(),
                        w.path("pid").asLong(), w.path("generation").asLong(), w.path("state").asText(),
                        w.path("active").asLong(), w.path("accepted").asLong(), w.path("served").asLong(),
                        w.path("heartbeat-age-ms").asLong()));
            }
        }
        return out.toString();
    }
}
