package dev.berth.config;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Numeric IP address text: checks it without DNS and gives it one canonical spelling, so that
 * equal addresses compare equal ({@code 0:0::1} and {@code ::1}). Stateless.
 */
public final class IpLiteral {

    private static final String OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(?:\\." + OCTET + "){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    private IpLiteral() {
    }

    /**
     * The canonical text of a numeric address: IPv4 as a dotted quad without leading zeros, IPv6 in
     * the RFC 5952 form (lower case, longest zero run as {@code ::}); an IPv4-mapped IPv6 address
     * becomes its IPv4 form, as the JDK binds it. Empty when the text is not a numeric address.
     */
    static Optional<String> canonical(String text) {
        if (IPV4.matcher(text).matches()) {
            return Optional.of(text);
        }
        if (!text.contains(":") || !IPV6_CHARS.matcher(text).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(switch (Inet6Address.ofLiteral(text)) {
                case Inet6Address v6 -> rfc5952(v6.getAddress());
                case InetAddress v4 -> v4.getHostAddress();
            });
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The address of canonical text, made without any lookup. */
    static InetAddress address(String canonical) {
        return canonical.contains(":") ? Inet6Address.ofLiteral(canonical) : Inet4Address.ofLiteral(canonical);
    }

    /**
     * The canonical text of an address (as {@link #canonical}): a dotted quad, or RFC 5952 IPv6
     * text without brackets. No lookup.
     */
    public static String text(InetAddress address) {
        return address instanceof Inet6Address ? rfc5952(address.getAddress()) : address.getHostAddress();
    }

    private static String rfc5952(byte[] bytes) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (bytes[2 * i] & 0xff) << 8 | bytes[2 * i + 1] & 0xff;
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = Math.max(i, j - 1);
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
            } else {
                if (!text.isEmpty() && text.charAt(text.length() - 1) != ':') {
                    text.append(':');
                }
                text.append(Integer.toHexString(groups[i]));
            }
        }
        return text.toString();
    }
}
