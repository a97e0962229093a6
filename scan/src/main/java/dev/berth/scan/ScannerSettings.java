package dev.berth.scan;

/**
 * One parsed scanner definition from the {@code scanners:} section. Immutable records, compared
 * by value so that a reload can tell whether a scanner changed; a closed set of kinds.
 */
public sealed interface ScannerSettings permits SignaturesSettings, ClamdSettings, RspamdSettings {

    /** The scanner's name, its key under {@code scanners:}. */
    String name();

    /**
     * A new scanner for these settings. Does no network I/O (connections are made per scan), so
     * it may be called on any thread; the caller closes the scanner.
     */
    Scanner newScanner();

    /**
     * Whether an unavailable verdict from this scanner is let through ({@code accept}) rather
     * than failing the message for now ({@code tempfail}).
     */
    boolean accepts(Verdict.Unavailable unavailable);
}
