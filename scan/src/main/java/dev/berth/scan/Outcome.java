package dev.berth.scan;

import java.util.Objects;

/**
 * What a mail service should do with a scanned message, from {@link ScanReport#outcome()}. A
 * closed set: switch over it exhaustively.
 *
 * <pre>
 *   Virus       a scanner found malware      -> on-virus: reject (554 5.7.1) | quarantine | tag
 *   SpamReject  a spam score past reject     -> 554 5.7.1
 *   TempFail    a tempfail scanner failed    -> 451 4.7.1, try again later
 *   SpamTag     a spam score past tag        -> deliver with ScanReport.tagHeaders()
 *   Pass        nothing to act on            -> deliver (tagHeaders() still describe the scan)
 * </pre>
 */
public sealed interface Outcome {

    /** Deliver as is. */
    record Pass() implements Outcome {
    }

    /** Malware or a forbidden pattern; {@code verdict} is the first such verdict of the chain. */
    record Virus(Verdict.Infected verdict) implements Outcome {
        /** @throws NullPointerException if {@code verdict} is null */
        public Virus {
            Objects.requireNonNull(verdict, "verdict");
        }
    }

    /** A spam score at or past its scanner's reject threshold. */
    record SpamReject(Verdict.Spam verdict) implements Outcome {
        /** @throws NullPointerException if {@code verdict} is null */
        public SpamReject {
            Objects.requireNonNull(verdict, "verdict");
        }
    }

    /** A spam score at or past its scanner's tag threshold (and below reject). */
    record SpamTag(Verdict.Spam verdict) implements Outcome {
        /** @throws NullPointerException if {@code verdict} is null */
        public SpamTag {
            Objects.requireNonNull(verdict, "verdict");
        }
    }

    /** A scanner whose policy is {@code tempfail} could not answer; the first such verdict. */
    record TempFail(Verdict.Unavailable verdict) implements Outcome {
        /** @throws NullPointerException if {@code verdict} is null */
        public TempFail {
            Objects.requireNonNull(verdict, "verdict");
        }
    }
}
