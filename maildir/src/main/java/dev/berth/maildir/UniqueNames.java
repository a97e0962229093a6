package dev.berth.maildir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Maildir unique names {@code <seconds>.M<micros>P<pid>Q<counter>.<host>}, as Dovecot writes
 * them. Unique across threads (one counter per process), processes (the pid) and machines (the
 * host). The host part is cut to {@value #MAX_HOST} characters so a name stays within the 70
 * printable characters RFC 1939 allows a UIDL. Thread-safe.
 */
final class UniqueNames {

    static final int MAX_HOST = 32;
    private static final AtomicLong COUNTER = new AtomicLong();

    private final String host;
    private final long pid;
    private final Clock clock;

    UniqueNames(String host, Clock clock) {
        this.host = sanitize(host);
        this.pid = ProcessHandle.current().pid();
        this.clock = clock;
    }

    String next() {
        Instant now = clock.instant();
        return now.getEpochSecond() + ".M" + now.getNano() / 1000 + "P" + pid + "Q" + COUNTER.incrementAndGet() + "." + host;
    }

    /** Dovecot's escapes for the characters that mean something in a Maildir file name. */
    static String sanitize(String host) {
        StringBuilder b = new StringBuilder(host.length());
        for (char c : host.toCharArray()) {
            switch (c) {
                case '/' -> b.append("\\057");
                case ':' -> b.append("\\072");
                case ',' -> b.append("\\054");
                default -> b.append(c > 0x20 && c < 0x7f ? c : '_');
            }
        }
        return b.isEmpty() ? "localhost" : b.substring(0, Math.min(b.length(), MAX_HOST));
    }

    /** The kernel's host name (read from /proc, no DNS), or "localhost". */
    static String localHostName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.US_ASCII).strip();
        } catch (IOException | RuntimeException e) {
            String env = System.getenv("HOSTNAME");
            return env == null || env.isBlank() ? "localhost" : env;
        }
    }

    /**
     * Orders names by the time they encode (seconds, then microseconds), then by name; names
     * without a leading time sort first.
     */
    static int compare(String a, String b) {
        int c = Long.compare(seconds(a), seconds(b));
        if (c == 0) {
            c = Long.compare(micros(a), micros(b));
        }
        return c != 0 ? c : a.compareTo(b);
    }

    private static long seconds(String name) {
        int end = 0;
        while (end < name.length() && end < 18 && Character.isDigit(name.charAt(end))) {
            end++;
        }
        return end == 0 ? -1 : Long.parseLong(name, 0, end, 10);
    }

    private static long micros(String name) {
        int dot = name.indexOf('.');
        if (dot < 0) {
            return -1;
        }
        int m = name.indexOf('M', dot);
        int next = name.indexOf('.', dot + 1);
        if (m < 0 || (next >= 0 && m > next)) {
            return -1;
        }
        int end = m + 1;
        while (end < name.length() && end - m <= 9 && Character.isDigit(name.charAt(end))) {
            end++;
        }
        return end == m + 1 ? -1 : Long.parseLong(name, m + 1, end, 10);
    }
}
