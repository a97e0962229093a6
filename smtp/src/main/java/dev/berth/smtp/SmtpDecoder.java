package dev.berth.smtp;

import dev.berth.mailwire.DotUnstuffer;
import dev.berth.smtp.SmtpInput.AuthLine;
import dev.berth.smtp.SmtpInput.Bdat;
import dev.berth.smtp.SmtpInput.ChunkEnd;
import dev.berth.smtp.SmtpInput.Content;
import dev.berth.smtp.SmtpInput.DataEnd;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

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
 * stops reading) and {@link #resume()} decodes them without waiting for more input. DATA goes
 * through a {@link DotUnstuffer}: only {@code CRLF.CRLF} ends it; a bare CR or LF or a line over
 * 1000 octets is reported in {@link DataEnd}, never ends the data. Command lines may end in a bare
 * LF; one that is not UTF-8 is refused ({@link CommandParser#malformed}), never decoded with
 * replacement characters into an address.
 *
 * <p>Thread: the channel's event loop only, like every Netty handler; not sharable.
 */
final class SmtpDecoder extends ByteToMessageDecoder {

    static final int TEXT_LINE = 1000;

    private enum Mode { COMMAND, DISCARD, AUTH, DATA, CHUNK }

    private final DotUnstuffer unstuffer = DotUnstuffer.strict(TEXT_LINE);
    private Mode mode = Mode.COMMAND;
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
        unstuffer.reset();
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

    /** Octets received and not yet decoded (what the decoder holds). */
    int buffered() {
        return actualReadableBytes();
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
        Optional<String> strict = Utf8.decode(in, in.readerIndex(), length);
        String text = strict.orElseGet(() -> in.toString(in.readerIndex(), length, StandardCharsets.UTF_8));
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
        SmtpInput input = strict.isPresent() ? CommandParser.parse(text, octets) : CommandParser.malformed(text);
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
        boolean ended = unstuffer.unstuff(in, content);
        if (content.isReadable()) {
            out.add(new Content(content));
        } else {
            content.release();
        }
        if (ended) {
            mode = Mode.COMMAND;
            out.add(new DataEnd(unstuffer.problem()));
        }
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        // The connection is gone: an unfinished command or message is dropped, never delivered.
        in.skipBytes(in.readableBytes());
    }
}
