package dev.berth.scan;

import dev.berth.config.ConfigException;
import dev.berth.config.ConfigSection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The scanners a mail service runs, in order: a service's {@code scan: [sig, clamav]} resolved
 * against the top-level {@code scanners:} section. Immutable, compared by value; parsing is pure
 * (no I/O, no connections).
 *
 * @param scanners the definitions in chain order; empty for no scanning
 */
public record ScanSettings(List<ScannerSettings> scanners) {

    /** No scanning. */
    public static final ScanSettings NONE = new ScanSettings(List.of());

    /**
     * Copies the list.
     *
     * @throws IllegalArgumentException if a name repeats
     */
    public ScanSettings {
        scanners = List.copyOf(scanners);
        Set<String> names = new HashSet<>();
        for (ScannerSettings scanner : scanners) {
            if (!names.add(scanner.name())) {
                throw new IllegalArgumentException("scanner " + scanner.name() + " is listed twice");
            }
        }
    }

    /**
     * Reads {@code where.strings(key)} (such as the smtp section's {@code scan:}) and parses each
     * named definition of {@code scanners} (only those named). An absent key is an empty chain.
     * Pure: no file or network I/O.
     *
     * @param scanners the top-level {@code scanners:} section ({@code HostConfig.scanners()})
     * @param where the section that holds the list
     * @param key the list's key, usually {@code scan}
     * @throws ConfigException located at the problem: a name not defined under {@code scanners:}
     *     (listing the defined names), a name given twice, a definition without a known
     *     {@code kind}, an unknown key, a bad value or a regular expression that does not compile
     */
    public static ScanSettings parse(ConfigSection scanners, ConfigSection where, String key) {
        List<String> names = where.strings(key);
        List<ScannerSettings> parsed = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (!scanners.keys().contains(name)) {
                throw where.error(key, "\"" + name + "\" is not a scanner defined under scanners" + closest(name, scanners.keys()),
                        scanners.keys().isEmpty() ? "no scanner is defined; add a scanners: section"
                                : "a scanner defined under scanners: (" + String.join(", ", scanners.keys()) + ")");
            }
            if (!seen.add(name)) {
                throw where.error(key, "\"" + name + "\" is listed twice", "each scanner at most once");
            }
            parsed.add(ScannerDefinitions.parse(name, scanners.section(name)));
        }
        return new ScanSettings(parsed);
    }

    /**
     * Parses every definition under {@code scanners:}, used by a service or not, so that a host
     * can report a bad definition that no service names yet. Pure.
     *
     * @return the definitions in file order
     * @throws ConfigException located at the first bad definition
     */
    public static List<ScannerSettings> parseDefinitions(ConfigSection scanners) {
        return scanners.keys().stream().map(name -> ScannerDefinitions.parse(name, scanners.section(name))).toList();
    }

    /** Whether there is nothing to scan with. */
    public boolean isEmpty() {
        return scanners.isEmpty();
    }

    /**
     * Builds the scanners; no network I/O (each scan connects by itself). The caller closes the
     * chain. Thread-safe.
     */
    public ScanChain newChain() {
        return new ScanChain(scanners, (scanner, verdict) -> { });
    }

    /**
     * Builds the scanners as {@link #newChain()}, with an observer told of every verdict (for
     * metrics): the scanner's name and {@link ScanChain#label} of its verdict, on the scanning thread.
     */
    public ScanChain newChain(java.util.function.BiConsumer<String, String> verdicts) {
        return new ScanChain(scanners, verdicts);
    }

    /** {@code "; did you mean \"x\"?"} for a defined name that differs by case or a letter or two. */
    private static String closest(String name, Set<String> defined) {
        String best = null;
        int bestDistance = 3;
        for (String candidate : defined) {
            int distance = distance(name.toLowerCase(java.util.Locale.ROOT), candidate.toLowerCase(java.util.Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best == null ? "" : "; did you mean \"" + best + "\"?";
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
