package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/**
 * What {@code berth top} shows, drawn from one status object: the master, each pool with its
 * workers (state in colour, load, connections, served, age, heartbeat) and connections/s since the
 * previous frame, why the pool has its size, and the latest events (restarts with their cause).
 * Pure apart from the rates it remembers between frames; used by one thread.
 */
final class TopScreen {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    private final Map<String, long[]> previous = new HashMap<>();

    /** The lines of one frame, at most {@code rows} lines of at most {@code columns} columns. */
    List<AttributedString> render(JsonNode status, long nowMillis, int columns, int rows) {
        List<AttributedString> lines = new ArrayList<>();
        JsonNode m = status.path("master");
        lines.add(new AttributedStringBuilder().style(AttributedStyle.BOLD).append("berth")
                .style(AttributedStyle.DEFAULT).append("  master pid " + m.path("pid").asLong()
                        + "  generation " + m.path("generation").asLong() + "  up " + age(m.path("uptime-ms").asLong()) + "  ")
                .style(style(m.path("ready").asBoolean() ? "ready" : "killing"))
                .append(m.path("ready").asBoolean() ? "ready" : "not ready").style(AttributedStyle.DEFAULT)
                .append(m.path("admin").asText().isEmpty() ? "" : "  admin http://" + m.path("admin").asText() + "/")
                .append("   q quits").toAttributedString());
        for (JsonNode pool : status.path("pools")) {
            lines.add(AttributedString.EMPTY);
            lines.addAll(pool(pool, nowMillis));
        }
        lines.add(AttributedString.EMPTY);
        lines.add(new AttributedStringBuilder().style(AttributedStyle.BOLD).append("EVENTS (newest first)").toAttributedString());
        List<JsonNode> events = new ArrayList<>();
        status.path("events").forEach(events::add);
        for (int i = events.size() - 1; i >= 0 && lines.size() < rows; i--) {
            lines.add(event(events.get(i)));
        }
        return lines.stream().limit(rows).map(l -> l.columnSubSequence(0, columns)).toList();
    }

    private List<AttributedString> pool(JsonNode pool, long nowMillis) {
        String name = pool.path("name").asText();
        long accepted = 0;
        long served = 0;
        for (JsonNode w : pool.path("workers")) {
            accepted += w.path("accepted").asLong();
            served += w.path("served").asLong();
        }
        long[] last = previous.put(name, new long[] {nowMillis, accepted, served});
        String rates = "";
        if (last != null && nowMillis > last[0]) {
            double seconds = (nowMillis - last[0]) / 1000.0;
            rates = String.format("  %.1f conn/s  %.1f req/s", Math.max(0, accepted - last[1]) / seconds,
                    Math.max(0, served - last[2]) / seconds);
        }
        StringBuilder causes = new StringBuilder();
        pool.path("restarts-by-cause").properties().forEach(e -> causes.append(' ').append(e.getKey()).append(' ')
                .append(e.getValue().asLong()));
        long ready = 0;
        for (JsonNode w : pool.path("workers")) {
            ready += w.path("state").asText().equals("ready") ? 1 : 0;
        }
        List<AttributedString> lines = new ArrayList<>();
        AttributedStringBuilder head = new AttributedStringBuilder().style(AttributedStyle.BOLD).append("POOL " + name)
                .style(AttributedStyle.DEFAULT).append("  accept " + pool.path("accept").asText() + "  " + ready
                        + "/" + pool.path("size").asInt() + " ready (min " + pool.path("min").asInt() + " max "
                        + pool.path("max").asInt() + ")  load " + pool.path("load-permille").asInt() / 10 + "%" + rates
                        + "  restarts:" + causes);
        if (pool.path("throttled").asBoolean()) {
            head.style(style("killing")).append("  CRASH LOOP: restarts slowed");
        }
        lines.add(head.toAttributedString());
        lines.add(new AttributedString("  why: " + pool.path("sizing").asText()));
        lines.add(new AttributedStringBuilder().style(AttributedStyle.DEFAULT.underline())
                .append(String.format("  %-4s %-8s %-4s %-9s %5s %7s %8s %8s %6s", "ID", "PID", "GEN", "STATE", "LOAD",
                        "ACTIVE", "SERVED", "AGE", "BEAT")).toAttributedString());
        for (JsonNode w : pool.path("workers")) {
            String state = w.path("state").asText();
            lines.add(new AttributedStringBuilder().append(String.format("  %-4d %-8d %-4d ", w.path("id").asInt(),
                            w.path("pid").asLong(), w.path("generation").asLong()))
                    .style(style(state)).append(String.format("%-9s", state)).style(AttributedStyle.DEFAULT)
                    .append(String.format(" %4d%% %7d %8d %8s %6s", w.path("load-permille").asInt() / 10,
                            w.path("active").asLong(), w.path("served").asLong(), age(w.path("age-ms").asLong()),
                            w.path("heartbeat-age-ms").asLong() < 0 ? "-" : w.path("heartbeat-age-ms").asLong() + "ms"))
                    .toAttributedString());
        }
        for (JsonNode d : pool.path("dispatchers")) {
            lines.add(new AttributedString(String.format("  disp %-8d %-4d %-9s queued %d, in flight %d, links %d",
                    d.path("pid").asLong(), d.path("generation").asLong(), d.path("state").asText(),
                    d.path("queued").asLong(), d.path("in-flight").asLong(), d.path("links").asLong())));
        }
        return lines;
    }

    private static AttributedString event(JsonNode e) {
        String time = CLOCK.format(Instant.parse(e.path("time").asText()));
        String who = e.path("role").asText().equals("worker") ? " #" + e.path("worker").asInt()
                : e.path("role").asText().isEmpty() ? "" : " " + e.path("role").asText();
        String cause = e.path("cause").asText();
        AttributedStringBuilder line = new AttributedStringBuilder().append("  " + time + " ")
                .style(e.path("event").asText().equals("restart") ? style("killing").bold() : AttributedStyle.DEFAULT)
                .append(e.path("event").asText() + (cause.isEmpty() ? "" : " " + cause)).style(AttributedStyle.DEFAULT)
                .append(" " + e.path("pool").asText() + who + (e.path("pid").asLong() > 0 ? " pid " + e.path("pid").asLong() : "")
                        + ": " + e.path("message").asText());
        return line.toAttributedString();
    }

    private static AttributedStyle style(String state) {
        return switch (state) {
            case "ready" -> AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN);
            case "starting" -> AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW);
            case "draining" -> AttributedStyle.DEFAULT.foreground(AttributedStyle.BLUE);
            default -> AttributedStyle.DEFAULT.foreground(AttributedStyle.RED);
        };
    }

    static String age(long millis) {
        long s = millis / 1000;
        return s < 60 ? s + "s" : s < 3600 ? (s / 60) + "m" + String.format("%02d", s % 60) + "s"
                : (s / 3600) + "h" + String.format("%02d", s % 3600 / 60) + "m";
    }
}
