package dev.berth.config;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A range of TCP ports, both ends included, such as a tenant group's ephemeral ports for outbound
 * connections ({@code ephemeral-ports: 40000-40999}). Immutable.
 *
 * @param first the lowest port, 1 to 65535
 * @param last the highest port, {@code first} to 65535
 */
public record PortRange(int first, int last) {

    static final String ACCEPTED = "a port range like 40000-40999 (1 to 65535, low-high)";
    private static final Pattern TEXT = Pattern.compile("([0-9]{1,5})-([0-9]{1,5})");

    /**
     * Checks the ends.
     *
     * @throws IllegalArgumentException if a port is out of range or {@code first > last}
     */
    public PortRange {
        if (first < 1 || last > 65535 || first > last) {
            throw new IllegalArgumentException("port range " + first + "-" + last + " is not within 1-65535, low-high");
        }
    }

    /** Reads {@code low-high}; empty when the text is not such a range. */
    static Optional<PortRange> parse(String text) {
        Matcher m = TEXT.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        int first = Integer.parseInt(m.group(1));
        int last = Integer.parseInt(m.group(2));
        return first >= 1 && last <= 65535 && first <= last ? Optional.of(new PortRange(first, last)) : Optional.empty();
    }

    /** {@code first-last}, as written in the config. */
    @Override
    public String toString() {
        return first + "-" + last;
    }
}
