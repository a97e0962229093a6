package dev.berth.mailwire;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;

/**
 * Reads dot-terminated content, the inverse of {@link DotStuffer}: removes the dot that starts a
 * line, finds the end, and notes what is wrong with the content on the way (the first problem
 * only; a problem never ends the content). Two readings:
 *
 * <ul>
 *   <li>{@link #strict(int)}, for SMTP DATA from a client (RFC 5321 4.5.2): only
 *       {@code CRLF.CRLF} ends it; a bare CR or LF is {@link Problem#BARE_LINE_END} (SMTP
 *       smuggling) and kept as content, a line over the limit is {@link Problem#LINE_TOO_LONG};
 *   <li>{@link #lenient()}, for a POP3 multi-line reply from an upstream server: a bare LF also
 *       ends a line, so {@code .LF} at a line start ends the content too; nothing is flagged.
 * </ul>
 *
 * <pre>
 *  LINE_START --'.'--> DOT --CR--> DOT_CR --LF--> end        (lenient: DOT --LF--> end)
 *  LINE_START --other--> MID --CR--> CR --LF--> LINE_START   (lenient: MID --LF--> LINE_START)
 *  DOT, DOT_CR, CR --anything else--> MID (a bare line end where a CR was not followed by LF)
 * </pre>
 *
 * <p>Not thread-safe: one reader at a time (a decoder's event loop). Never blocks, never fails;
 * holds no buffers.
 */
public final class DotUnstuffer {

    /** What is wrong with content, the first thing found. */
    public enum Problem {
        /** Nothing. */
        NONE,
        /** A CR or LF that is not part of a CRLF (strict reading only). */
        BARE_LINE_END,
        /** A line longer than the limit, line end included (strict reading only). */
        LINE_TOO_LONG
    }

    /** Where the reader stands in the current line. */
    private enum At { LINE_START, DOT, DOT_CR, MID, CR }

    private final boolean lenient;
    private final long maxLine;
    private At at = At.LINE_START;
    private Problem problem = Problem.NONE;
    private long lineOctets;

    private DotUnstuffer(boolean lenient, long maxLine) {
        this.lenient = lenient;
        this.maxLine = maxLine;
    }

    /**
     * A reader that ends only at {@code CRLF.CRLF} and flags bare line ends and lines over
     * {@code maxLine} octets (CRLF included; SMTP's is 1000).
     */
    public static DotUnstuffer strict(int maxLine) {
        if (maxLine < 3) {
            throw new IllegalArgumentException("maxLine: below 3: " + maxLine);
        }
        return new DotUnstuffer(false, maxLine);
    }

    /** A reader that takes LF or CRLF as a line end and flags nothing. */
    public static DotUnstuffer lenient() {
        return new DotUnstuffer(true, Long.MAX_VALUE);
    }

    /** Starts new content (after SMTP's 354, after a POP3 {@code +OK} line). */
    public void reset() {
        at = At.LINE_START;
        problem = Problem.NONE;
        lineOctets = 0;
    }

    /** The first problem found since {@link #reset()}, or {@link Problem#NONE}. */
    public Problem problem() {
        return problem;
    }

    /**
     * Moves content octets from {@code in} to {@code content}, unstuffed, up to the end of the
     * content or of {@code in}. The terminator is consumed, never copied.
     *
     * @return true when the end was read; {@code in} is then positioned just after it
     */
    public boolean unstuff(ByteBuf in, ByteBuf content) {
        while (in.isReadable()) {
            if (at == At.MID) {
                copyRun(in, content);
            } else if (step(in.readByte(), content)) {
                return true;
            }
        }
        return false;
    }

    /** Copies octets up to the next CR or LF in one go. */
    private void copyRun(ByteBuf in, ByteBuf content) {
        int stop = in.forEachByte(ByteProcessor.FIND_CRLF);
        int end = stop < 0 ? in.writerIndex() : stop;
        int n = end - in.readerIndex();
        content.writeBytes(in, n);
        countLine(n);
        if (stop >= 0) {
            step(in.readByte(), content);
        }
    }

    /** One octet outside a run; returns true at the end of the content. */
    private boolean step(byte b, ByteBuf content) {
        switch (at) {
            case LINE_START -> {
                if (b == '.') {
                    countLine(1);
                    at = At.DOT;
                } else {
                    mid(b, content);
                }
            }
            case DOT -> {
                if (b == '\r') {
                    at = At.DOT_CR;
                } else if (b == '\n' && lenient) {
                    return true;
                } else {
                    mid(b, content);
                }
            }
            case DOT_CR -> {
                if (b == '\n') {
                    return true;
                }
                bareCr(b, content);
            }
            case MID -> mid(b, content);
            case CR -> {
                if (b == '\n') {
                    content.writeByte('\r').writeByte('\n');
                    lineOctets = 0;
                    at = At.LINE_START;
                } else {
                    bareCr(b, content);
                }
            }
        }
        return false;
    }

    /** A CR that was not followed by LF: kept as content, then {@code b} as any octet. */
    private void bareCr(byte b, ByteBuf content) {
        flag(Problem.BARE_LINE_END);
        content.writeByte('\r');
        countLine(1);
        at = At.MID;
        mid(b, content);
    }

    private void mid(byte b, ByteBuf content) {
        if (b == '\r') {
            countLine(1);
            at = At.CR;
            return;
        }
        content.writeByte(b);
        if (b == '\n' && lenient) {
            lineOctets = 0;
            at = At.LINE_START;
            return;
        }
        if (b == '\n') {
            flag(Problem.BARE_LINE_END);
        }
        countLine(1);
        at = At.MID;
    }

    private void countLine(int n) {
        lineOctets += n;
        if (lineOctets + 1 > maxLine) {
            flag(Problem.LINE_TOO_LONG);
        }
    }

    private void flag(Problem found) {
        if (problem == Problem.NONE && !lenient) {
            problem = found;
        }
    }
}
