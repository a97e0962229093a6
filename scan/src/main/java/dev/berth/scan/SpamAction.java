package dev.berth.scan;

/**
 * What a spam score calls for, decided by the rspamd scanner's {@code tag-score} and
 * {@code reject-score} thresholds (and by rspamd itself for a forced reject such as GTUBE).
 */
public enum SpamAction {
    /** Below {@code tag-score}: deliver unchanged (the score is still reported). */
    NONE,
    /** At or above {@code tag-score}: deliver with {@code X-Spam-Flag: YES}. */
    TAG,
    /** At or above {@code reject-score}, or rspamd forced a reject: refuse the message. */
    REJECT
}
