package dev.berth.mailproxy;

import java.nio.charset.StandardCharsets;

/**
 * The message that replaces an infected one in a RETR response: a small RFC 5322 text message
 * naming the threat and the scanner, padded with blank-filled lines to exactly the size of the
 * message it replaces, so that the octet counts of LIST, STAT and the RETR status line stay true
 * without rewriting them. A message smaller than the shortest notice (well under 100 octets, so
 * smaller than any carrier of EICAR) gets the shortest notice cut to its size. Pure.
 */
final class VirusNotice {

    private VirusNotice() {
    }

    /**
     * The notice, exactly {@code size} octets long.
     *
     * @param scanner the scanner that found it
     * @param threat the threat's name
     * @param size the octet count of the replaced message
     */
    static byte[] build(String scanner, String threat, int size) {
        String t = clean(threat);
        String s = clean(scanner);
        String[] candidates = {
            "From: Mail Proxy <MAILER-DAEMON@localhost>\r\n"
                    + "Subject: [virus removed] " + t + "\r\n"
                    + "MIME-Version: 1.0\r\n"
                    + "Content-Type: text/plain; charset=us-ascii\r\n"
                    + "X-Virus-Removed: " + t + " (" + s + ")\r\n"
                    + "\r\n"
                    + "The mail proxy removed this message: it contained " + t + ",\r\n"
                    + "found by the scanner " + s + ".\r\n",
            "Subject: [virus removed] " + t + "\r\n\r\nRemoved: " + t + "\r\n",
            "Subject: virus removed\r\n\r\n",
        };
        for (String candidate : candidates) {
            if (candidate.length() <= size) {
                return pad(candidate, size);
            }
        }
        byte[] cut = new byte[size];
        System.arraycopy(candidates[2].getBytes(StandardCharsets.US_ASCII), 0, cut, 0, size);
        return cut;
    }

    private static byte[] pad(String text, int size) {
        StringBuilder out = new StringBuilder(size).append(text);
        int left = size - text.length();
        while (left >= 2) {
            int line = Math.min(left, 78);
            if (left - line == 1) {
                line--;
            }
            out.append(" ".repeat(line - 2)).append("\r\n");
            left -= line;
        }
        if (left == 1) {
            // one octet short of a line end: widen the last text line by a space
            out.insert(out.length() - 2, ' ');
        }
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static String clean(String name) {
        String ascii = name.replaceAll("[^\\x21-\\x7e ]", "?");
        return ascii.length() > 100 ? ascii.substring(0, 100) : ascii;
    }
}
