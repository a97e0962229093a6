package dev.berth.scan;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;

/**
 * The {@code signatures} scanner: the EICAR test string, always, and the user's regular
 * expressions, looked for in the raw message and in every leaf part after MIME decoding.
 *
 * <p>The message is read into memory once (so a caller bounds its size, as SMTP's
 * {@code message-size} does) and parsed with mime4j's streaming {@link MimeTokenStream}, leniently
 * and without line or header limits: base64 and quoted-printable bodies are decoded, nested
 * multiparts and attached {@code message/rfc822} messages are walked. Each text is matched as
 * ISO-8859-1 (one char per byte, so a pattern can match any byte) and, when it has bytes above
 * 127, also as UTF-8.
 *
 * <p>Threat names: {@value #EICAR_THREAT} for EICAR, {@code Pattern:<i>} for the pattern at
 * index {@code i} of {@code patterns:} (counted from 0, like the config's {@code patterns[i]}).
 *
 * <p>Thread-safe (compiled patterns are immutable; each scan has its own parser). Blocking: reads
 * the message. Returns {@link Verdict.Unavailable} when the message cannot be read, or when the
 * patterns take longer than the timeout (a regular expression that backtracks without end).
 */
final class SignatureScanner implements Scanner {

    /** The threat name for the EICAR test file, ClamAV's name for it. */
    static final String EICAR_THREAT = "Eicar-Test-Signature";

    /** The 68-byte EICAR anti-virus test string. */
    static final String EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

    private static final MimeConfig LENIENT = MimeConfig.custom()
            .setStrictParsing(false)
            .setMaxLineLen(-1)
            .setMaxHeaderCount(-1)
            .setMaxHeaderLen(-1)
            .setMaxContentLen(-1)
            .build();

    private static final byte[] EICAR_BYTES = EICAR.getBytes(StandardCharsets.US_ASCII);

    private final String name;
    private final List<Pattern> patterns;
    private final Duration timeout;

    SignatureScanner(String name, List<Pattern> patterns, Duration timeout) {
        this.name = name;
        this.patterns = List.copyOf(patterns);
        this.timeout = timeout;
    }

    SignatureScanner(String name, List<Pattern> patterns) {
        this(name, patterns, SignaturesSettings.DEFAULT_TIMEOUT);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Verdict scan(MessageContent message) {
        byte[] raw;
        try (InputStream in = message.open()) {
            raw = in.readAllBytes();
        } catch (IOException e) {
            return new Verdict.Unavailable(name, "cannot read the message: " + e.getMessage());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            String threat = match(raw, deadline);
            if (threat == null) {
                threat = matchParts(raw, deadline);
            }
            return threat == null ? new Verdict.Clean(name) : new Verdict.Infected(name, threat);
        } catch (TimedText.Expired e) {
            return new Verdict.Unavailable(name, "timeout after " + Durations.text(timeout) + " matching patterns");
        } catch (IOException | MimeException e) {
            // Lenient parsing hardly fails on bytes in memory; the raw message was matched.
            return new Verdict.Clean(name);
        }
    }

    private String matchParts(byte[] raw, long deadline) throws IOException, MimeException {
        MimeTokenStream parser = new MimeTokenStream(LENIENT, DecodeMonitor.SILENT, null);
        parser.parse(new ByteArrayInputStream(raw));
        for (EntityState state = parser.getState(); state != EntityState.T_END_OF_STREAM; state = parser.next()) {
            if (state == EntityState.T_BODY) {
                byte[] decoded;
                try (InputStream body = parser.getDecodedInputStream()) {
                    decoded = body.readAllBytes();
                }
                String threat = match(decoded, deadline);
                if (threat != null) {
                    return threat;
                }
            }
        }
        return null;
    }

    /** The threat found in these bytes, or null. */
    private String match(byte[] bytes, long deadline) {
        if (contains(bytes, EICAR_BYTES)) {
            return EICAR_THREAT;
        }
        String threat = matchPatterns(TimedText.latin1(bytes, deadline));
        if (threat == null && !patterns.isEmpty() && hasHighBytes(bytes)) {
            threat = matchPatterns(TimedText.of(new String(bytes, StandardCharsets.UTF_8), deadline));
        }
        return threat;
    }

    private String matchPatterns(CharSequence text) {
        for (int i = 0; i < patterns.size(); i++) {
            if (patterns.get(i).matcher(text).find()) {
                return "Pattern:" + i;
            }
        }
        return null;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        int last = haystack.length - needle.length;
        for (int i = 0; i <= last; i++) {
            if (haystack[i] == needle[0] && java.util.Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasHighBytes(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return true;
            }
        }
        return false;
    }
}
