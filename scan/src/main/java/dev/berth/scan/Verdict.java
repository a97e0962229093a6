package dev.berth.scan;

import java.util.Objects;

/**
 * What one scanner said about one message. Immutable records; a closed set so that a
 * {@code switch} over verdicts is exhaustive.
 *
 * <p>A spam scanner reports every message it scored as {@link Spam}, ham included (with
 * {@link SpamAction#NONE}), so that the score can be shown; only scanners that do not score
 * (signatures, clamd) report {@link Clean}.
 */
public sealed interface Verdict {

    /** The name of the scanner (its key under {@code scanners:}). */
    String scanner();

    /** Nothing found. */
    record Clean(String scanner) implements Verdict {
        /** @throws NullPointerException if {@code scanner} is null */
        public Clean {
            Objects.requireNonNull(scanner, "scanner");
        }
    }

    /**
     * Malware or a forbidden pattern found.
     *
     * @param threat the signature name as the scanner gave it ({@code Eicar-Test-Signature},
     *     {@code Custom.EICAR.NDB.UNOFFICIAL}, {@code Pattern:2}); may hold any characters, so
     *     sanitise it before putting it in a header or reply
     */
    record Infected(String scanner, String threat) implements Verdict {
        /** @throws NullPointerException if a component is null */
        public Infected {
            Objects.requireNonNull(scanner, "scanner");
            Objects.requireNonNull(threat, "threat");
        }
    }

    /**
     * A spam score.
     *
     * @param score the scanner's score (rspamd: higher is spammier)
     * @param action what the score calls for under the scanner's thresholds
     */
    record Spam(String scanner, double score, SpamAction action) implements Verdict {
        /** @throws NullPointerException if a component is null */
        public Spam {
            Objects.requireNonNull(scanner, "scanner");
            Objects.requireNonNull(action, "action");
        }
    }

    /**
     * The scanner could not give an answer: not reachable, timed out, an error reply, the
     * message too large for it. Whether that fails the message is the scanner's
     * {@code on-unavailable} policy, applied by {@link ScanReport#outcome()}.
     *
     * @param reason a short human-readable reason, such as {@code timeout after 30s}
     */
    record Unavailable(String scanner, String reason) implements Verdict {
        /** @throws NullPointerException if a component is null */
        public Unavailable {
            Objects.requireNonNull(scanner, "scanner");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
