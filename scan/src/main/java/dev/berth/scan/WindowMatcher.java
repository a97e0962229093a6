package dev.berth.scan;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Looks for the signatures in a stream of any length with bounded memory: the bytes go through a
 * window of {@link #WINDOW} bytes that keeps the last {@link #OVERLAP} bytes of the one before, so
 * that a match of up to {@code OVERLAP} bytes is found wherever it lies, across window edges too.
 * Each window is matched as ISO-8859-1 (one char per byte, so a pattern can match any byte) and,
 * when it has bytes above 127 and there are patterns, as UTF-8.
 *
 * <pre>
 *   stream:  |---------- window 1 ----------|
 *                                   |overlap|---------- window 2 ----------|
 * </pre>
 *
 * <p>Holds about 3 × {@code WINDOW} bytes (the window and its UTF-8 chars). Not thread-safe: one
 * per scan. Blocking: reads the stream.
 */
final class WindowMatcher {

    /** Bytes matched at a time. */
    static final int WINDOW = 256 * 1024;
    /** The longest match found wherever it lies; a longer one across a window edge may be missed. */
    static final int OVERLAP = 16 * 1024;

    private static final byte[] EICAR = SignatureScanner.EICAR.getBytes(StandardCharsets.US_ASCII);

    private final List<Pattern> patterns;
    private final long deadline;
    private final byte[] window = new byte[WINDOW];
    private final CharBuffer chars = CharBuffer.allocate(WINDOW);
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);

    /** @param deadline a {@link System#nanoTime()} past which matching throws {@link TimedText.Expired} */
    WindowMatcher(List<Pattern> patterns, long deadline) {
        this.patterns = patterns;
        this.deadline = deadline;
    }

    /**
     * The threat in the stream, or null; reads it to its end unless a threat is found first.
     *
     * @throws TimedText.Expired past the deadline
     */
    String find(InputStream in) throws IOException {
        int held = 0;
        while (true) {
            int read = in.readNBytes(window, held, WINDOW - held);
            held += read;
            String threat = match(held);
            if (threat != null || held < WINDOW) {
                return threat;
            }
            System.arraycopy(window, WINDOW - OVERLAP, window, 0, OVERLAP);
            held = OVERLAP;
        }
    }

    private String match(int length) {
        if (contains(length)) {
            return SignatureScanner.EICAR_THREAT;
        }
        if (patterns.isEmpty()) {
            return null;
        }
        String threat = matchPatterns(TimedText.latin1(window, length, deadline));
        if (threat == null && hasHighBytes(length)) {
            chars.clear();
            utf8.reset();
            utf8.decode(ByteBuffer.wrap(window, 0, length), chars, true);
            chars.flip();
            threat = matchPatterns(TimedText.of(chars, deadline));
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

    private boolean contains(int length) {
        int last = length - EICAR.length;
        for (int i = 0; i <= last; i++) {
            if (window[i] == EICAR[0] && Arrays.equals(window, i, i + EICAR.length, EICAR, 0, EICAR.length)) {
                return true;
            }
        }
        return false;
    }

    private boolean hasHighBytes(int length) {
        for (int i = 0; i < length; i++) {
            if (window[i] < 0) {
                return true;
            }
        }
        return false;
    }
}
