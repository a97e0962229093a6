package dev.berth.scan;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A {@code kind: signatures} scanner: EICAR always, plus the user's regular expressions, matched
 * against the raw message and every MIME-decoded leaf part. See {@link SignatureScanner}.
 *
 * @param name the scanner's name
 * @param patterns Java regular expressions, already checked to compile
 * @param timeout {@code timeout:}, for matching one message (a pattern that backtracks without
 *     end gives {@link Verdict.Unavailable} then); default 30s
 */
public record SignaturesSettings(String name, List<String> patterns, Duration timeout) implements ScannerSettings {

    /** The keys a definition of this kind may have. */
    static final List<String> KEYS = List.of("kind", "patterns", "timeout");

    /** The default {@code timeout:}: 30 seconds. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** Settings with the default timeout. */
    public SignaturesSettings(String name, List<String> patterns) {
        this(name, patterns, DEFAULT_TIMEOUT);
    }

    /**
     * Checks the name and that every pattern compiles.
     *
     * @throws java.util.regex.PatternSyntaxException if a pattern does not compile
     * @throws IllegalArgumentException if the timeout is not positive
     */
    public SignaturesSettings {
        Objects.requireNonNull(name, "name");
        patterns = List.copyOf(patterns);
        patterns.forEach(Pattern::compile);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
    }

    @Override
    public Scanner newScanner() {
        return new SignatureScanner(name, patterns.stream().map(Pattern::compile).toList(), timeout);
    }

    /** Signatures fail only when the message cannot be read; that always tempfails. */
    @Override
    public boolean accepts(Verdict.Unavailable unavailable) {
        return false;
    }
}
