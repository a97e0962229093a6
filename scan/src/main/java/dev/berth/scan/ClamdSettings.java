package dev.berth.scan;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A {@code kind: clamd} scanner. See {@link ClamdScanner} for the protocol.
 *
 * @param name the scanner's name
 * @param address {@code address:}, TCP or {@code unix:path}; default {@code 127.0.0.1:3310}
 * @param timeout {@code timeout:}, for the whole exchange (connect, send, reply); default 30s
 * @param onUnavailable {@code on-unavailable:}; default tempfail
 * @param onTooLarge {@code on-too-large:}, for a message past clamd's StreamMaxLength (clamd
 *     answers {@code INSTREAM size limit exceeded}); default the same as {@code onUnavailable}
 */
public record ClamdSettings(String name, ClamdAddress address, Duration timeout, UnavailablePolicy onUnavailable,
                            UnavailablePolicy onTooLarge) implements ScannerSettings {

    /** The keys a definition of this kind may have. */
    static final List<String> KEYS = List.of("kind", "address", "timeout", "on-unavailable", "on-too-large");

    /**
     * Checks the components.
     *
     * @throws IllegalArgumentException if the timeout is not positive
     */
    public ClamdSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(onUnavailable, "onUnavailable");
        Objects.requireNonNull(onTooLarge, "onTooLarge");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
    }

    @Override
    public Scanner newScanner() {
        return new ClamdScanner(this);
    }

    @Override
    public boolean accepts(Verdict.Unavailable unavailable) {
        UnavailablePolicy policy = unavailable.reason().startsWith(ClamdScanner.TOO_LARGE) ? onTooLarge : onUnavailable;
        return policy == UnavailablePolicy.ACCEPT;
    }
}
