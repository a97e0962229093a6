package dev.berth.scan;

/**
 * Text for regular expressions that gives up at a deadline: every 4096th {@link #charAt} compares
 * {@link System#nanoTime()} with the deadline and throws {@link Expired} past it, which ends a
 * runaway (catastrophically backtracking) match. Bytes are viewed as ISO-8859-1 without copying.
 * Not thread-safe: one match on one thread.
 */
final class TimedText implements CharSequence {

    /** Thrown from {@link #charAt} past the deadline; carries no stack trace. */
    static final class Expired extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Expired() {
            super("deadline passed", null, false, false);
        }
    }

    private final byte[] bytes;
    private final CharSequence chars;
    private final int from;
    private final int to;
    private final long deadline;
    private int calls;

    private TimedText(byte[] bytes, CharSequence chars, int from, int to, long deadline) {
        this.bytes = bytes;
        this.chars = chars;
        this.from = from;
        this.to = to;
        this.deadline = deadline;
    }

    /**
     * The first {@code length} bytes as ISO-8859-1 characters, one per byte, until
     * {@code deadline} (a nanoTime).
     */
    static TimedText latin1(byte[] bytes, int length, long deadline) {
        return new TimedText(bytes, null, 0, length, deadline);
    }

    /** Characters until {@code deadline} (a nanoTime). */
    static TimedText of(CharSequence chars, long deadline) {
        return new TimedText(null, chars, 0, chars.length(), deadline);
    }

    @Override
    public int length() {
        return to - from;
    }

    @Override
    public char charAt(int index) {
        if ((++calls & 0xfff) == 0 && System.nanoTime() - deadline > 0) {
            throw new Expired();
        }
        if (index < 0 || index >= to - from) {
            throw new IndexOutOfBoundsException(index);
        }
        return bytes != null ? (char) (bytes[from + index] & 0xff) : chars.charAt(from + index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        if (start < 0 || end > to - from || start > end) {
            throw new IndexOutOfBoundsException("[" + start + ", " + end + ") of " + (to - from));
        }
        return new TimedText(bytes, chars, from + start, from + end, deadline);
    }

    @Override
    public String toString() {
        return bytes != null ? new String(bytes, from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1)
                : chars.subSequence(from, to).toString();
    }
}
