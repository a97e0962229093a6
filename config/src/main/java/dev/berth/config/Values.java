package dev.berth.config;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses scalar text into numbers, sizes, durations and booleans, and words their ranges. */
final class Values {

    static final String SIZE = "a size in bytes, like 65536, 64k, 10m or 1g (k = 1024)";
    static final String BOOL = "true or false";

    private static final Pattern WHOLE = Pattern.compile("[+-]?[0-9]+");
    private static final Pattern SIZE_TEXT = Pattern.compile("([0-9]{1,19}) ?([kmgt]?)b?", Pattern.CASE_INSENSITIVE);
    private static final Pattern DURATION_TEXT = Pattern.compile("([0-9]{1,18}) ?(us|ms|s|m|h|d)", Pattern.CASE_INSENSITIVE);

    private Values() {
    }

    /** A whole number in decimal, of any size, or empty when the text is not one. */
    static Optional<BigInteger> wholeNumber(String text) {
        return WHOLE.matcher(text).matches() ? Optional.of(new BigInteger(text)) : Optional.empty();
    }

    static boolean isWholeNumber(String text) {
        return WHOLE.matcher(text).matches();
    }

    /** Bytes, from bare digits or digits with k, m, g or t (powers of 1024); empty if invalid or too large. */
    static Optional<Long> size(String text) {
        Matcher m = SIZE_TEXT.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        int shift = 10 * "kmgt".indexOf(m.group(2).toLowerCase(Locale.ROOT)) + 10;
        BigInteger bytes = new BigInteger(m.group(1)).shiftLeft(m.group(2).isEmpty() ? 0 : shift);
        return bytes.bitLength() < Long.SIZE ? Optional.of(bytes.longValue()) : Optional.empty();
    }

    /** A duration from digits with us, ms, s, m, h or d, or a bare 0; empty if invalid or too large. */
    static Optional<Duration> duration(String text) {
        if (text.equals("0")) {
            return Optional.of(Duration.ZERO);
        }
        Matcher m = DURATION_TEXT.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        long amount = Long.parseLong(m.group(1));
        try {
            return Optional.of(switch (m.group(2).toLowerCase(Locale.ROOT)) {
                case "us" -> Duration.ofNanos(Math.multiplyExact(amount, 1_000L));
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            });
        } catch (ArithmeticException e) {
            return Optional.empty();
        }
    }

    /** true, yes, on / false, no, off in any case; empty otherwise. */
    static Optional<Boolean> bool(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> Optional.of(Boolean.TRUE);
            case "false", "no", "off" -> Optional.of(Boolean.FALSE);
            default -> Optional.empty();
        };
    }

    /** What a whole-number key accepts, in words. */
    static String rangeAccepted(long min, long max) {
        if (max == Long.MAX_VALUE) {
            return min == Long.MIN_VALUE ? "a whole number" : "a whole number of at least " + min;
        }
        return "a whole number from " + min + " to " + max;
    }

    /** What a duration key accepts, in words. */
    static String durationAccepted(Duration min) {
        String examples = "like 500ms, 2s, 10m or 1h";
        return min.isZero() ? "a duration " + examples : "a duration of at least " + format(min) + ", " + examples;
    }

    /** A duration in the largest unit that states it exactly: 50us, 1ms, 2s, 10m, 1h, 1d. */
    static String format(Duration duration) {
        if (duration.toNanos() % 1_000_000L != 0) {
            return duration.toNanos() / 1_000L + "us";
        }
        long ms = duration.toMillis();
        long[] units = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
        String[] names = {"d", "h", "m", "s"};
        for (int i = 0; i < units.length; i++) {
            if (ms != 0 && ms % units[i] == 0) {
                return ms / units[i] + names[i];
            }
        }
        return ms + "ms";
    }

    /** The directory relative paths are resolved against: the config file's, made absolute. */
    static Path baseDirectory(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        return parent == null ? absolute.getRoot() : parent;
    }
}
