package dev.berth.scan;

import java.time.Duration;

/** Durations as the config writes them. Static only. */
final class Durations {

    private Durations() {
    }

    /** {@code 30s}, {@code 1500ms}, {@code 5m}: the largest unit that is exact. */
    static String text(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 60_000 == 0 && millis > 0) {
            return millis / 60_000 + "m";
        }
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }
}
