package dev.berth.scan;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The verdicts of one pass of a {@link ScanChain}, in chain order, and what they add up to.
 * Immutable and thread-safe.
 *
 * <p>{@link #outcome()} ranks the verdicts: the first {@link Verdict.Infected} (the chain stops
 * there) wins; then a spam score past its reject threshold (a sure refusal needs no retry);
 * then the first unavailable scanner whose policy is {@code tempfail}; then a spam score past its
 * tag threshold; otherwise {@link Outcome.Pass}.
 *
 * @param verdicts one verdict per scanner that ran, in chain order
 * @param accepted the {@link Verdict.Unavailable} verdicts of {@code verdicts} whose scanner's
 *     policy is {@code accept}: they do not cause a {@link Outcome.TempFail}
 */
public record ScanReport(List<Verdict> verdicts, List<Verdict.Unavailable> accepted) {

    private static final int MAX_VALUE = 200;

    /**
     * Copies the lists.
     *
     * @throws NullPointerException if a list or an element is null
     * @throws IllegalArgumentException if an accepted verdict is not one of {@code verdicts}
     */
    public ScanReport {
        verdicts = List.copyOf(verdicts);
        accepted = List.copyOf(accepted);
        if (!verdicts.containsAll(accepted)) {
            throw new IllegalArgumentException("accepted " + accepted + " are not all among " + verdicts);
        }
    }

    /** A report in which every unavailable scanner has the {@code tempfail} policy. */
    public ScanReport(List<Verdict> verdicts) {
        this(verdicts, List.of());
    }

    /** What the service should do; see the class comment for the ranking. */
    public Outcome outcome() {
        for (Verdict verdict : verdicts) {
            if (verdict instanceof Verdict.Infected infected) {
                return new Outcome.Virus(infected);
            }
        }
        for (Verdict verdict : verdicts) {
            if (verdict instanceof Verdict.Spam spam && spam.action() == SpamAction.REJECT) {
                return new Outcome.SpamReject(spam);
            }
        }
        for (Verdict verdict : verdicts) {
            if (verdict instanceof Verdict.Unavailable unavailable && !accepted.contains(unavailable)) {
                return new Outcome.TempFail(unavailable);
            }
        }
        for (Verdict verdict : verdicts) {
            if (verdict instanceof Verdict.Spam spam && spam.action() == SpamAction.TAG) {
                return new Outcome.SpamTag(spam);
            }
        }
        return new Outcome.Pass();
    }

    /**
     * Header lines describing the scan, each ending in CRLF, to prepend to a delivered message
     * (for any outcome that delivers: pass, tag, a virus under {@code on-virus: tag}). Values
     * come from scanners and are made header-safe: control characters (CR and LF included) and
     * non-ASCII characters become spaces or {@code ?}, and each value is cut to 200 characters.
     *
     * <pre>
     * X-Berth-Scan: clean by sig, clamav; scored by spam; unavailable: av2 (timeout after 30s)
     * X-Berth-Virus: Eicar-Test-Signature (clamav)
     * X-Spam-Score: 7.20 (spam)
     * X-Spam-Flag: YES
     * </pre>
     *
     * The {@code X-Berth-Scan} line is always there (even for an empty chain: {@code none});
     * {@code X-Berth-Virus} per infected verdict, {@code X-Spam-Score} per spam verdict, and one
     * {@code X-Spam-Flag: YES} when any spam verdict's action is tag or reject.
     */
    public List<String> tagHeaders() {
        List<String> clean = new ArrayList<>();
        List<String> infected = new ArrayList<>();
        List<String> scored = new ArrayList<>();
        List<String> unavailable = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        boolean flagged = false;
        for (Verdict verdict : verdicts) {
            switch (verdict) {
                case Verdict.Clean c -> clean.add(c.scanner());
                case Verdict.Infected i -> {
                    infected.add(i.scanner());
                    lines.add(header("X-Berth-Virus", headerSafe(i.threat()) + " (" + headerSafe(i.scanner()) + ")"));
                }
                case Verdict.Spam s -> {
                    scored.add(s.scanner());
                    lines.add(header("X-Spam-Score", String.format(Locale.ROOT, "%.2f", s.score()) + " (" + headerSafe(s.scanner()) + ")"));
                    flagged |= s.action() != SpamAction.NONE;
                }
                case Verdict.Unavailable u -> unavailable.add(u.scanner() + " (" + u.reason() + ")");
            }
        }
        if (flagged) {
            lines.add(header("X-Spam-Flag", "YES"));
        }
        lines.addFirst(header("X-Berth-Scan", summary(clean, infected, scored, unavailable)));
        return List.copyOf(lines);
    }

    private static String summary(List<String> clean, List<String> infected, List<String> scored, List<String> unavailable) {
        List<String> parts = new ArrayList<>();
        part(parts, "clean by ", clean);
        part(parts, "infected by ", infected);
        part(parts, "scored by ", scored);
        part(parts, "unavailable: ", unavailable);
        return parts.isEmpty() ? "none" : String.join("; ", parts);
    }

    private static void part(List<String> parts, String prefix, List<String> names) {
        if (!names.isEmpty()) {
            parts.add(prefix + String.join(", ", names.stream().map(ScanReport::headerSafe).toList()));
        }
    }

    private static String header(String name, String value) {
        return name + ": " + value + "\r\n";
    }

    /**
     * Text from a scanner made safe for a header value or an SMTP/POP3 reply line: control
     * characters (CR, LF and NUL included) become spaces, non-ASCII characters {@code ?}, the
     * result is cut to {@value #MAX_VALUE} characters and stripped. Pure; any thread.
     *
     * @throws NullPointerException if {@code text} is null
     */
    public static String headerSafe(String text) {
        Objects.requireNonNull(text, "text");
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_VALUE));
        for (int i = 0; i < text.length() && out.length() < MAX_VALUE; i++) {
            char c = text.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? ' ' : c > 0x7e ? '?' : c);
        }
        return out.toString().strip();
    }
}
