package dev.berth.scan;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.MimeIOException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;

/**
 * The {@code signatures} scanner: the EICAR test string, always, and the user's regular
 * expressions, looked for in the raw message and in every base64 or quoted-printable leaf part
 * after decoding (other parts are in the raw message as they are).
 *
 * <p>The message is streamed, never held: it is read twice (raw, then parsed with mime4j's
 * streaming {@link MimeTokenStream}), each time through a {@link WindowMatcher}, so a scan holds
 * about a megabyte whatever the message's size. Nested multiparts and attached
 * {@code message/rfc822} messages are walked. Parsing is lenient, but a header line or field
 * over {@link #MAX_HEADER} octets (or more than {@link #MAX_FIELDS} fields in one header) would
 * have to be held whole: such a message is not judged ({@link Verdict.Unavailable}), since its
 * parts could not all be seen.
 *
 * <p>Threat names: {@value #EICAR_THREAT} for EICAR, {@code Pattern:<i>} for the pattern at
 * index {@code i} of {@code patterns:} (counted from 0, like the config's {@code patterns[i]}).
 *
 * <p>Thread-safe (compiled patterns are immutable; each scan has its own parser and window).
 * Blocking: reads the message. Returns {@link Verdict.Unavailable} when the message cannot be
 * read, when its MIME header is past the limits, or when the patterns take longer than the
 * timeout (a regular expression that backtracks without end).
 */
final class SignatureScanner implements Scanner {

    /** The threat name for the EICAR test file, ClamAV's name for it. */
    static final String EICAR_THREAT = "Eicar-Test-Signature";

    /** The 68-byte EICAR anti-virus test string. */
    static final String EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

    /** The longest header line or (folded) field that is parsed, in octets. */
    static final int MAX_HEADER = 1 << 20;
    /** The most fields in one header. */
    static final int MAX_FIELDS = 10_000;

    private static final MimeConfig LENIENT = MimeConfig.custom()
            .setStrictParsing(false)
            .setMaxLineLen(MAX_HEADER)
            .setMaxHeaderCount(MAX_FIELDS)
            .setMaxHeaderLen(MAX_HEADER)
            .setMaxContentLen(-1)
            .build();

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
        WindowMatcher matcher = new WindowMatcher(patterns, System.nanoTime() + timeout.toNanos());
        String threat;
        try (InputStream in = message.open()) {
            threat = matcher.find(in);
        } catch (IOException e) {
            return new Verdict.Unavailable(name, "cannot read the message: " + e.getMessage());
        } catch (TimedText.Expired e) {
            return timedOut();
        }
        try {
            if (threat == null) {
                threat = matchParts(message, matcher);
            }
        } catch (TimedText.Expired e) {
            return timedOut();
        } catch (MimeException | MimeIOException e) {
            return new Verdict.Unavailable(name, "the MIME header is past the scanner's limits: " + e.getMessage());
        } catch (IOException e) {
            return new Verdict.Unavailable(name, "cannot read the message: " + e.getMessage());
        }
        return threat == null ? new Verdict.Clean(name) : new Verdict.Infected(name, threat);
    }

    private Verdict timedOut() {
        return new Verdict.Unavailable(name, "timeout after " + Durations.text(timeout) + " matching patterns");
    }

    /** The threat in an encoded leaf part, or null; the others were matched in the raw pass. */
    private static String matchParts(MessageContent message, WindowMatcher matcher) throws IOException, MimeException {
        MimeTokenStream parser = new MimeTokenStream(LENIENT, DecodeMonitor.SILENT, null);
        try (InputStream in = message.open()) {
            parser.parse(in);
            for (EntityState state = parser.getState(); state != EntityState.T_END_OF_STREAM; state = parser.next()) {
                if (state == EntityState.T_BODY && encoded(parser.getBodyDescriptor())) {
                    try (InputStream body = parser.getDecodedInputStream()) {
                        String threat = matcher.find(body);
                        if (threat != null) {
                            return threat;
                        }
                    }
                }
            }
        }
        return null;
    }

    private static boolean encoded(BodyDescriptor body) {
        String encoding = body.getTransferEncoding().toLowerCase(Locale.ROOT);
        return encoding.equals("base64") || encoding.equals("quoted-printable");
    }
}
