package dev.berth.scan;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A {@code kind: signatures} scanner: EICAR always, plus the user's regular expressions, matched
 * against the raw message and every MIME-decoded leaf part. See {@link SignatureScanner}.
 *
 * @param name the scanner's name
 * @param patterns Java regular expressions, already checked to compile
 */
public record SignaturesSettings(String name, List<String> patterns) implements ScannerSettings {

    /** The keys a definition of this kind may have. */
    static final List<String> KEYS = List.of("kind", "patterns");

    /**
     * Checks the name and that every pattern compiles.
     *
     * @throws java.util.regex.PatternSyntaxException if a pattern does not compile
     */
    public SignaturesSettings {
        Objects.requireNonNull(name, "name");
        patterns = List.copyOf(patterns);
        patterns.forEach(Pattern::compile);
    }

    @Override
    public Scanner newScanner() {
        return new SignatureScanner(name, patterns.stream().map(p -> Pattern.compile(p)).toList());
    }

    /** Signatures fail only when the message cannot be read; that always tempfails. */
    @Override
    public boolean accepts(Verdict.Unavailable unavailable) {
        return false;
    }
}
