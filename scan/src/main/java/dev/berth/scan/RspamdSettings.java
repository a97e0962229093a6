package dev.berth.scan;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A {@code kind: rspamd} scanner. See {@link RspamdScanner}.
 *
 * @param name the scanner's name
 * @param url {@code url:}, rspamd's normal worker, such as {@code http://127.0.0.1:11333}; the
 *     scanner posts to {@code <url>/checkv2}
 * @param rejectScore {@code reject-score:}, default 15
 * @param tagScore {@code tag-score:}, default 6; at most {@code rejectScore}
 * @param timeout {@code timeout:}, for the whole request; default 30s
 * @param onUnavailable {@code on-unavailable:}; default tempfail
 */
public record RspamdSettings(String name, URI url, double rejectScore, double tagScore, Duration timeout,
                             UnavailablePolicy onUnavailable) implements ScannerSettings {

    /** The keys a definition of this kind may have. */
    static final List<String> KEYS = List.of("kind", "url", "reject-score", "tag-score", "timeout", "on-unavailable");

    /**
     * Checks the components.
     *
     * @throws IllegalArgumentException if the URL is not absolute http(s), the tag score is above
     *     the reject score, or the timeout is not positive
     */
    public RspamdSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(onUnavailable, "onUnavailable");
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null) {
            throw new IllegalArgumentException("not an http(s) URL with a host: " + url);
        }
        if (tagScore > rejectScore || Double.isNaN(tagScore) || Double.isNaN(rejectScore)) {
            throw new IllegalArgumentException("tag score " + tagScore + " is above reject score " + rejectScore);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
    }

    /** The action for a score under these thresholds. */
    SpamAction actionFor(double score) {
        return score >= rejectScore ? SpamAction.REJECT : score >= tagScore ? SpamAction.TAG : SpamAction.NONE;
    }

    @Override
    public Scanner newScanner() {
        return new RspamdScanner(this);
    }

    @Override
    public boolean accepts(Verdict.Unavailable unavailable) {
        return onUnavailable == UnavailablePolicy.ACCEPT;
    }
}
