package dev.berth.smtp;

import dev.berth.smtp.SmtpInput.AuthLine;
import dev.berth.smtp.SmtpInput.Bdat;
import dev.berth.smtp.SmtpInput.ChunkEnd;
import dev.berth.smtp.SmtpInput.Content;
import dev.berth.smtp.SmtpInput.DataEnd;
import dev.berth.smtp.SmtpInput.DataProblem;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ByteProcessor;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Bytes to {@link SmtpInput}s. Modes:
 *
 * <pre>
 *  COMMAND --BDAT n--> CHUNK(n octets as Content, then ChunkEnd) --> COMMAND
 *  COMMAND --(handler: expectData after 354)--> DATA(Content..., DataEnd at CRLF.CRLF) --> COMMAND
 *  COMMAND --(handler: expectAuthLine after 334)--> AUTH(one AuthLine) --> COMMAND
 *  COMMAND --line over 12288 octets--> DISCARD(up to the next LF, then Invalid 500 5.5.6)
 * </pre>
 *
 * <p>While {@link #pause() paused} nothing is decoded; buffered bytes wait (the handler also
 * stops reading) and {@link #resume()} decodes them without waiting for more input. DATA is
 * dot-unstuffed; only {@code CRLF.CRLF} ends it; a bare CR or LF or a line over 1000 octets is
 * reported in {@link DataEnd}, never ends the data. Command lines may end in a bare LF.
 *
 * <p>Thread: the channel's event loop only, like every Netty handler; not sharable.
 */
final class SmtpDecoder extends ByteToMessageDecoder {

    static final int TEXT_LINE = 1000;

    private enum Mode { COMMAND, DISCARD, AUTH, DATA, CHUNK }

    /** Where the DATA scanner stands in the current line. */
    private enum At { LINE_START, DOT, DOT_CR, MID, CR }

    private Mode mode = Mode.COMMAND;
    private At at = At.LINE_START;
    private DataProblem problem = DataProblem.NONE;
    private long lineOctets;
    private long chunkLeft;
    private boolean paused;
    private ChannelHandlerContext context;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        context = ctx;
        super.handlerAdded(ctx);
    }

    /** The next bytes are DATA content (call after sending 354, before returning from the read). */
    void expectData() {
        mode = Mode.DATA;
        at = At.LINE_START;
        problem = DataProblem.NONE;
        lineOctets = 0;
    }

    /** The next line answers an AUTH challenge. */
    void expectAuthLine() {
        mode = Mode.AUTH;
    }

    /** Stops decoding until {@link #resume()}. */
    void pause() {
        paused = true;
    }

    boolean isPaused() {
        return paused;
    }

    /**
     * Decodes what is buffered, then what arrives. Must run on the event loop and not from inside
     * a read of this pipeline (schedule it as a task).
     */
    void resume() {
        if (!paused) {
            return;
        }
        paused = false;
        if (context != null && !context.isRemoved() && actualReadableBytes() > 0) {
            try {
                channelRead(context, Unpooled.EMPTY_BUFFER);
            } catch (Exception e) {
                context.fireExceptionCaught(e);
            }
        }
    }

    /** Drops every buffered octet (STARTTLS: plaintext sent after the command must not count). */
    void discardBuffered() {
        ByteBuf buffered = internalBuffer();
        buffered.skipBytes(buffered.readableBytes());
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (paused) {
            return;
        }
        switch (mode) {
            case COMMAND, AUTH -> line(in, out);
            case DISCARD -> discard(in, out);
            case DATA -> data(ctx, in, out);
            case CHUNK -> chunk(in, out);
        }
    }

    private void line(ByteBuf in, List<Object> out) {
        int lf = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
        if (lf < 0) {
            if (in.readableBytes() > CommandParser.AUTH_LINE) {
                in.skipBytes(in.readableBytes());
                mode = Mode.DISCARD;
            }
            return;
        }
        int length = lf - in.readerIndex();
        int octets = length + 1;
        String text = in.toString(in.readerIndex(), length, StandardCharsets.UTF_8);
        in.skipBytes(octets);
        if (text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        } else {
            octets++;
        }
        if (mode == Mode.AUTH) {
            mode = Mode.COMMAND;
            out.add(octets > CommandParser.AUTH_LINE ? CommandParser.tooLong() : new AuthLine(text));
            return;
        }
        SmtpInput input = CommandParser.parse(text, octets);
        out.add(input);
        if (input instanceof Bdat bdat) {
            if (bdat.size() == 0) {
                out.add(new ChunkEnd());
            } else {
                mode = Mode.CHUNK;
                chunkLeft = bdat.size();
            }
        }
    }

    private void discard(ByteBuf in, List<Object> out) {
        int lf = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
        if (lf < 0) {
            in.skipBytes(in.readableBytes());
            return;
        }
        in.readerIndex(lf + 1);
        mode = Mode.COMMAND;
        out.add(CommandParser.tooLong());
    }

    private void chunk(ByteBuf in, List<Object> out) {
        int n = (int) Math.min(chunkLeft, in.readableBytes());
        out.add(new Content(in.readRetainedSlice(n)));
        chunkLeft -= n;
        if (chunkLeft > 0) {
            return;
        }
        mode = Mode.COMMAND;
        out.add(new ChunkEnd());
    }

    private void data(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        ByteBuf content = ctx.alloc().buffer(in.readableBytes());
        boolean ended = false;
        while (in.isReadable() && !ended) {
            if (at == At.MID) {
                copyRun(in, content);
                continue;
            }
            ended = step(in.readByte(), content);
        }
        if (content.isReadable()) {
            out.add(new Content(content));
        } else {
            content.release();
        }
        if (ended) {
            mode = Mode.COMMAND;
            out.add(new DataEnd(problem));
        }
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
        if (lineOctets + 1 > TEXT_LINE) {
            flag(DataProblem.LINE_TOO_LONG);
        }
    }

    private void flag(DataProblem found) {
        if (problem == DataProblem.NONE) {
            problem = found;
        }
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        // The connection is gone: an unfinished command or message is dropped, never delivered.
        in.skipBytes(in.readableBytes());
    }
}
