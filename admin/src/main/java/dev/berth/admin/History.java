package dev.berth.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.master.MasterSnapshot;
import dev.berth.scoreboard.CounterFamily;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * The last minutes of the page's charts: one sample a second of each pool's connection and
 * request totals and of the scan verdicts by kind, turned into per-second rates for {@code
 * /history.json}:
 *
 * <pre>
 * {"times": [epoch ms, ...],
 *  "pools": {"web": {"connections": [per s, ...], "requests": [...]}},
 *  "verdicts": {"clean": [per s, ...], "infected": [...]}}
 * </pre>
 *
 * Owned by the admin thread (samples and reads run there).
 */
final class History {

    static final int KEPT = 600;
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Sample(long atMillis, Map<String, Long> totals) {
    }

    private final Deque<Sample> samples = new ArrayDeque<>();

    /** Adds a sample of {@code snapshot} taken at {@code atMillis} (epoch). */
    void add(long atMillis, MasterSnapshot snapshot) {
        Map<String, Long> totals = new LinkedHashMap<>();
        snapshot.status().pools().forEach(p -> {
            totals.put("pool/" + p.name() + "/connections", 0L);
            totals.put("pool/" + p.name() + "/requests", 0L);
        });
        for (MasterSnapshot.CounterTotal t : snapshot.counters()) {
            String key = switch (t.family()) {
                case CONNECTIONS_ACCEPTED -> "pool/" + t.pool() + "/connections";
                case REQUESTS -> "pool/" + t.pool() + "/requests";
                case SCAN_VERDICTS -> "verdict/" + t.labels().get(2);
                default -> null;
            };
            if (key != null) {
                totals.merge(key, t.values()[0], Long::sum);
            }
        }
        samples.addLast(new Sample(atMillis, totals));
        while (samples.size() > KEPT + 1) {
            samples.removeFirst();
        }
    }

    /** Rates between consecutive samples, as drawn above. */
    ObjectNode json() {
        ObjectNode out = JSON.createObjectNode();
        ArrayNode times = out.putArray("times");
        ObjectNode pools = out.putObject("pools");
        ObjectNode verdicts = out.putObject("verdicts");
        TreeSet<String> keys = new TreeSet<>();
        samples.forEach(s -> keys.addAll(s.totals().keySet()));
        Sample previous = null;
        for (Sample s : samples) {
            if (previous != null) {
                times.add(s.atMillis());
                double seconds = Math.max(0.001, (s.atMillis() - previous.atMillis()) / 1000.0);
                for (String key : keys) {
                    long delta = s.totals().getOrDefault(key, 0L) - previous.totals().getOrDefault(key, 0L);
                    double rate = Math.round(Math.max(0, delta) / seconds * 10) / 10.0;
                    String[] parts = key.split("/");
                    ObjectNode series = parts[0].equals("pool")
                            ? (ObjectNode) (pools.has(parts[1]) ? pools.get(parts[1]) : pools.putObject(parts[1]))
                            : verdicts;
                    String name = parts[0].equals("pool") ? parts[2] : parts[1];
                    (series.has(name) ? (ArrayNode) series.get(name) : series.putArray(name)).add(rate);
                }
            }
            previous = s;
        }
        return out;
    }
}
