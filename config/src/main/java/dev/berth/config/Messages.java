package dev.berth.config;

import java.util.Collection;
import java.util.Optional;
import java.util.SequencedCollection;
import java.util.stream.Collectors;

/** Wording shared by every problem: quoting, lists, "did you mean". Stateless. */
final class Messages {

    private Messages() {
    }

    /**
     * One problem line: {@code file:line:col: key.path: problem; accepted: what}. The path and the
     * accepted part are left out when empty; a problem ending in {@code ?} is followed by a space.
     */
    static String format(Location at, String path, String problem, String accepted) {
        StringBuilder line = new StringBuilder().append(at).append(": ");
        if (!path.isEmpty()) {
            line.append(path).append(": ");
        }
        line.append(problem);
        if (!accepted.isEmpty()) {
            line.append(problem.endsWith("?") ? " " : "; ").append("accepted: ").append(accepted);
        }
        return line.toString();
    }

    /** The text in double quotes, with quotes, backslashes and control characters escaped. */
    static String quote(String text) {
        StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
        text.codePoints().forEach(c -> {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\t' -> quoted.append("\\t");
                case '\r' -> quoted.append("\\r");
                default -> {
                    if (Character.isISOControl(c)) {
                        quoted.append(String.format("\\u%04x", c));
                    } else {
                        quoted.appendCodePoint(c);
                    }
                }
            }
        });
        return quoted.append('"').toString();
    }

    /** Comma-separated, in the collection's order when it has one, sorted otherwise. */
    static String list(Collection<String> names) {
        return inOrder(names).stream().collect(Collectors.joining(", "));
    }

    /** The collection's own order when it has one, sorted otherwise, so messages are stable. */
    private static Collection<String> inOrder(Collection<String> names) {
        return names instanceof SequencedCollection<String> ? names : names.stream().sorted().toList();
    }

    /** {@code did you mean "x"?} for the closest candidate, or empty when none is close. */
    static String didYouMean(String wrong, Collection<String> candidates) {
        return closest(wrong, candidates).map(c -> "did you mean " + quote(c) + "?").orElse("");
    }

    /** {@code problem; did you mean "x"?}, or the problem alone when nothing is close. */
    static String withSuggestion(String problem, String wrong, Collection<String> candidates) {
        String hint = didYouMean(wrong, candidates);
        return hint.isEmpty() ? problem : problem + "; " + hint;
    }

    /**
     * The candidate nearest to {@code wrong} by edit distance (adjacent swaps count as one edit),
     * ignoring case and {@code _} versus {@code -}; only when at most a third of the longer name
     * (at least one edit) differs and some of it is kept. The first of equally near candidates, in
     * {@link #list} order, wins.
     */
    static Optional<String> closest(String wrong, Collection<String> candidates) {
        String from = normalize(wrong);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : inOrder(candidates)) {
            String to = normalize(candidate);
            int distance = distance(from, to);
            int limit = Math.max(1, Math.max(from.length(), to.length()) / 3);
            if (distance <= limit && distance < Math.max(from.length(), to.length()) && distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return Optional.ofNullable(best);
    }

    private static String normalize(String name) {
        return name.toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
