package dev.berth.mailproxy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The message that replaces an infected one in a RETR response: a small RFC 5322 text message
 * naming the threat and the scanner, padded with blank-filled lines to exactly the size of the
 * message it replaces, so that the octet counts of LIST, STAT and the RETR status line stay true
 * without rewriting them. A message smaller than the shortest notice (well under 100 octets, so
 * smaller than any carrier of EICAR) gets the shortest notice cut to its size. Pure; the padding
 * is made as the notice is read, so its size costs no memory.
 */
final class VirusNotice {

    private VirusNotice() {
    }

    /**
     * The notice, exactly {@code size} octets long, as a stream that makes its padding as it is
     * read (a notice for a 20 MB message holds a few hundred bytes).
     *
     * @param scanner the scanner that found it
     * @param threat the threat's name
     * @param size the octet count of the replaced message
     */
    static InputStream open(String scanner, String threat, long size) {
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
                String text = size - candidate.length() == 1
                        // one octet short of a line end: widen the last text line by a space
                        ? candidate.substring(0, candidate.length() - 2) + " \r\n" : candidate;
                return new SequenceInputStream(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)),
                        new Padding(size - text.length()));
            }
        }
        return new ByteArrayInputStream(candidates[2].getBytes(StandardCharsets.US_ASCII), 0, (int) size);
    }

    /** The whole notice in memory; for small sizes (tests). */
    static byte[] build(String scanner, String threat, int size) {
        try {
            return open(scanner, threat, size).readAllBytes();
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
    }

    /** Blank lines of at most 78 octets, CRLF included, adding up to exactly {@code left} (never 1). */
    private static final class Padding extends InputStream {
        private long left;
        private int lineLeft;
        private int lineLength;

        Padding(long left) {
            this.left = left;
        }

        @Override
        public int read() {
            if (lineLeft == 0 && !nextLine()) {
                return -1;
            }
            int b = lineLeft > 2 ? ' ' : lineLeft == 2 ? '\r' : '\n';
            lineLeft--;
            return b;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) {
            int n = 0;
            int b;
            while (n < length && (b = read()) >= 0) {
                bytes[offset + n++] = (byte) b;
            }
            return n == 0 && length > 0 ? -1 : n;
        }

        private boolean nextLine() {
            if (left < 2) {
                return false;
            }
            lineLength = (int) Math.min(left, 78);
            if (left - lineLength == 1) {
                lineLength--;
            }
            left -= lineLength;
            lineLeft = lineLength;
            return true;
        }
    }

    private static String clean(String name) {
        String ascii = name.replaceAll("[^\\x21-\\x7e ]", "?");
        return ascii.length() > 100 ? ascii.substring(0, 100) : ascii;
    }
}
