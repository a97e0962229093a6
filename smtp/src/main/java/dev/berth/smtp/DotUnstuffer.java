package dev.berth.smtp;

import dev.berth.smtp.SmtpInput.DataProblem;
import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;

/**
 * Reads DATA content (RFC 5321 4.5.2), the inverse of {@link DotStuffer}: removes the dot that
 * starts a line, finds the end, and notes what is wrong with the message on the way. Only
 * {@code CRLF.CRLF} ends the data; a bare CR or LF ({@link DataProblem#BARE_LINE_END}, SMTP
 * smuggling) or a line over {@link SmtpDecoder#TEXT_LINE} octets
 * ({@link DataProblem#LINE_TOO_LONG}) is reported, the first problem only, and never ends it.
 *
 * <pre>
 *  LINE_START --'.'--> DOT --CR--> DOT_CR --LF--> end
 *  LINE_START --other--> MID --CR--> CR --LF--> LINE_START
 *  DOT, DOT_CR, CR --anything else--> MID (bare line end flagged where a CR was not followed by LF)
 * </pre>
 *
 * <p>Not thread-safe: the decoder's, on the event loop. Never blocks, never fails; holds no
 * buffers.
 */
final class DotUnstuffer {

    /** Where the scanner stands in the current line. */
    private enum At { LINE_START, DOT, DOT_CR, MID, CR }

    private At at = At.LINE_START;
    private DataProblem problem = DataProblem.NONE;
    private long lineOctets;

    /** Starts a new message (after 354). */
    void reset() {
        at = At.LINE_START;
        problem = DataProblem.NONE;
        lineOctets = 0;
    }

    /** The first problem found since {@link #reset()}, or {@link DataProblem#NONE}. */
    DataProblem problem() {
        return problem;
    }

    /**
     * Moves content octets from {@code in} to {@code content}, unstuffed, up to the end of the data
     * or of {@code in}.
     *
     * @return true when the terminating {@code CRLF.CRLF} was read; {@code in} is then positioned
     *     just after it
     */
    boolean scan(ByteBuf in, ByteBuf content) {
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

    /** One octet of DATA outside a run; returns true at the end of the data. */
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
                } else {
                    mid(b, content);
                }
            }
            case DOT_CR -> {
                if (b == '\n') {
                    return true;
                }
                flag(DataProblem.BARE_LINE_END);
                content.writeByte('\r');
                countLine(1);
                at = At.MID;
                mid(b, content);
            }
            case MID -> mid(b, content);
            case CR -> {
                if (b == '\n') {
                    content.writeByte('\r').writeByte('\n');
                    lineOctets = 0;
                    at = At.LINE_START;
                } else {
                    flag(DataProblem.BARE_LINE_END);
                    content.writeByte('\r');
                    countLine(1);
                    at = At.MID;
                    mid(b, content);
                }
            }
        }
        return false;
    }

    private void mid(byte b, ByteBuf content) {
        if (b == '\r') {
            countLine(1);
            at = At.CR;
            return;
        }
        if (b == '\n') {
            flag(DataProblem.BARE_LINE_END);
        }
        content.writeByte(b);
        countLine(1);
        at = At.MID;
    }

    private void countLine(int n) {
        lineOctets += n;
        if (lineOctets + 1 > SmtpDecoder.TEXT_LINE) {
            flag(DataProblem.LINE_TOO_LONG);
        }
    }

    private void flag(DataProblem found) {
        if (problem == DataProblem.NONE) {
            problem = found;
        }
    }
}
