package dev.berth.pop3;

import dev.berth.mailwire.Pop3Command;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Splits the client's bytes into lines (CRLF, or a bare LF) and parses each into a
 * {@link Pop3Command}, one at a time: after emitting a command the decoder holds the rest of its
 * buffer until {@link #next} says the command was answered. That keeps pipelined commands in
 * order while a command is handled off the event loop, lets the session choose how the next line
 * is read (a command or a SASL response), and lets {@link #discardBuffered} drop plaintext that
 * arrived behind {@code STLS} (RFC 2595 §4, the STARTTLS injection attack).
 *
 * <pre>
 *   bytes ──▶ [line] ──parse──▶ command ──▶ (waiting) ──next()──▶ [line] ──▶ …
 * </pre>
 *
 * <p>A line longer than {@link #MAX_LINE} octets becomes {@link Pop3Command.Invalid} and is
 * skipped up to its end. Lines are decoded as UTF-8 (invalid bytes replaced).
 *
 * <p>Thread: the channel's event loop, for every method.
 */
final class Pop3Decoder extends ByteToMessageDecoder {

    /** The longest line accepted, line end included: room for an AUTH PLAIN initial response. */
    static final int MAX_LINE = 8192;

    private ChannelHandlerContext context;
    private boolean waiting;
    private boolean saslResponse;
    private boolean discarding;
    private boolean reading;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        context = ctx;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (!waiting) {
            Pop3Command command = line(in, saslResponse);
            if (command != null) {
                emit(out, command);
            }
        }
    }

    /**
     * The connection is gone: every complete line still held was sent before the close, so it is
     * handed on at once, without waiting (nobody reads the replies). A client that pipelined
     * {@code DELE} and {@code QUIT} and closed still has its deletions committed.
     */
    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        for (Pop3Command command; (command = line(in, false)) != null; ) {
            out.add(command);
        }
        in.skipBytes(in.readableBytes());
    }

    /** The next complete line as a command, or {@code null} when none is complete yet. */
    private Pop3Command line(ByteBuf in, boolean asSaslResponse) {
        while (in.isReadable()) {
            int lf = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
            if (lf < 0) {
                return tooLong(in);
            }
            int length = lf - in.readerIndex();
            if (discarding) {
                in.skipBytes(length + 1);
                discarding = false;
                continue;
            }
            if (length + 1 > MAX_LINE) {
                in.skipBytes(length + 1);
                return new Pop3Command.Invalid("Line too long.");
            }
            int end = length > 0 && in.getByte(lf - 1) == '\r' ? lf - 1 : lf;
            String line = in.toString(in.readerIndex(), end - in.readerIndex(), StandardCharsets.UTF_8);
            in.skipBytes(length + 1);
            return asSaslResponse ? new Pop3Command.SaslResponse(line) : Pop3Command.parse(line);
        }
        return null;
    }

    /** Without a line end in sight: start skipping a line that is already too long. */
    private Pop3Command tooLong(ByteBuf in) {
        if (in.readableBytes() >= MAX_LINE) {
            in.skipBytes(in.readableBytes());
            if (!discarding) {
                discarding = true;
                return new Pop3Command.Invalid("Line too long.");
            }
        } else if (discarding) {
            in.skipBytes(in.readableBytes());
        }
        return null;
    }

    private void emit(List<Object> out, Pop3Command command) {
        waiting = true;
        out.add(command);
    }

    /**
     * Releases the next line, decoding at once any that is already buffered.
     *
     * @param asSaslResponse whether that line answers a {@code +} continuation
     */
    void next(boolean asSaslResponse) {
        waiting = false;
        saslResponse = asSaslResponse;
        if (!reading && context != null && !context.isRemoved()) {
            // Feed an empty buffer so that the decode loop runs over what is held back.
            channelRead(context, Unpooled.EMPTY_BUFFER);
        }
    }

    /** Whether a command has been emitted and not yet answered. */
    boolean isWaiting() {
        return waiting;
    }

    /** Octets received and not yet decoded (what the decoder holds). */
    int buffered() {
        return actualReadableBytes();
    }

    /** Drops every byte received but not yet decoded. */
    void discardBuffered() {
        ByteBuf buffered = internalBuffer();
        buffered.skipBytes(buffered.readableBytes());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // A command answered while it is being fired lets the running decode loop go on; only a
        // later answer (from another task) needs to restart decoding.
        boolean outer = !reading;
        reading = true;
        try {
            super.channelRead(ctx, msg);
        } catch (Exception e) {
            ctx.fireExceptionCaught(e);
        } finally {
            if (outer) {
                reading = false;
            }
        }
    }
}
