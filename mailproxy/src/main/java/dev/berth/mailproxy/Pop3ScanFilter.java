package dev.berth.mailproxy;

import dev.berth.mailwire.DotUnstuffer;
import dev.berth.mailwire.StuffedSender;
import dev.berth.mailwire.TopLimit;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.RejectedExecutionException;

/**
 * On the upstream leg of a scanning POP3 session, before the relay: frames the upstream's
 * responses with the {@link Pop3Exchange}, passes status lines and listings through, and holds
 * each RETR / TOP message (un-stuffed, in a {@link HeldMessage}: a little in memory, the rest in
 * the spool) until it is scanned:
 *
 * <pre>
 *   STATUS --+OK to RETR/TOP--> COLLECT --.CRLF--> BUSY(scan, send) --> STATUS
 *     |  \--+OK to LIST/UIDL/CAPA--> LISTING --.CRLF--> STATUS   \--past maxSize--> DISCARD
 *     \--anything else: one line, passed on      \--memory full--> BUSY(spill) --> COLLECT
 *                                                 DISCARD --.CRLF--> -ERR, STATUS
 * </pre>
 *
 * While BUSY the work runs on the scan executor and both legs stop reading; upstream bytes
 * already read wait here. A clean message is sent to the client dot-stuffed again, which gives the
 * upstream's bytes back; an infected one is replaced by a {@link VirusNotice} of the same size (so
 * LIST and STAT stay true); one that cannot be judged is answered {@code -ERR [SYS/TEMP]}. A
 * message past {@code maxSize} is read to its end and dropped, and the client gets
 * {@code -ERR [SYS/PERM]} (it would never pass unscanned). Memory per connection: one read, one
 * status line (at most {@link #MAX_LINE}) and {@link ScanRuntime#MEMORY}, whatever the message.
 * Upstream event loop; never blocks.
 */
final class Pop3ScanFilter extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = System.getLogger(Pop3ScanFilter.class.getName());
    /** The longest status or listing line taken from the upstream. */
    static final int MAX_LINE = 64 * 1024;

    private enum Mode { STATUS, LISTING, COLLECT, DISCARD, BUSY }

    private final Pop3Exchange exchange;
    private final ScanRuntime scan;
    private final Channel client;
    private static final String NOT_SCANNED = "-ERR [SYS/TEMP] the message could not be scanned, try again later\r\n";

    private final DotUnstuffer unstuffer = DotUnstuffer.lenient();
    private ByteBuf in;
    private ByteBuf status;
    private HeldMessage message;
    private Mode mode = Mode.STATUS;
    private String refusal;
    private boolean removed;

    Pop3ScanFilter(Pop3Exchange exchange, ScanRuntime scan, Channel client) {
        this.exchange = exchange;
        this.scan = scan;
        this.client = client;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        in = ctx.alloc().buffer();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        removed = true;
        ReferenceCountUtil.safeRelease(in);
        if (mode != Mode.BUSY) {
            release();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            in.writeBytes(buf);
        } finally {
            buf.release();
        }
        process(ctx);
    }

    private void process(ChannelHandlerContext ctx) {
        boolean more = true;
        while (more && mode != Mode.BUSY && in.isReadable()) {
            more = switch (mode) {
                case COLLECT -> collect(ctx);
                case DISCARD -> discard(ctx);
                case STATUS, LISTING -> line(ctx);
                case BUSY -> false;
            };
        }
        in.discardReadBytes();
    }

    /** Un-stuffs what is buffered into the held message; returns whether to go on. */
    private boolean collect(ChannelHandlerContext ctx) {
        ByteBuf target = message.buffer();
        int before = target.writerIndex();
        boolean end = unstuffer.unstuff(in, target);
        boolean full = message.took(target.writerIndex() - before);
        if (message.size() > scan.maxSize()) {
            release();
            LOG.log(Level.WARNING, () -> "refusing a message larger than scan-max-size " + scan.maxSize()
                    + " to " + client.remoteAddress());
            refusal = "-ERR [SYS/PERM] the message is larger than this proxy scans (" + scan.maxSize()
                    + " bytes); fetch it another way\r\n";
            mode = Mode.DISCARD;
            return !end || finishDiscard(ctx);
        }
        if (end) {
            busy(ctx, this::judge, false);
        } else if (full) {
            busy(ctx, this::spill, true);
        }
        return !end && !full;
    }

    private boolean discard(ChannelHandlerContext ctx) {
        ByteBuf scratch = ctx.alloc().buffer(in.readableBytes());
        boolean end = unstuffer.unstuff(in, scratch);
        scratch.release();
        return !end || finishDiscard(ctx);
    }

    private boolean finishDiscard(ChannelHandlerContext ctx) {
        ctx.fireChannelRead(Unpooled.copiedBuffer(refusal, StandardCharsets.US_ASCII));
        mode = Mode.STATUS;
        return true;
    }

    /** One status or listing line; returns whether one was complete. */
    private boolean line(ChannelHandlerContext ctx) {
        int lf = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
        if (lf < 0) {
            if (in.readableBytes() > MAX_LINE) {
                LOG.log(Level.WARNING, () -> "upstream " + ctx.channel().remoteAddress() + " sent a line over " + MAX_LINE + " bytes");
                ctx.close();
            }
            return false;
        }
        // a copy: the accumulation buffer is compacted under any slice of it
        ByteBuf line = in.readBytes(lf + 1 - in.readerIndex());
        if (mode == Mode.LISTING) {
            mode = isTerminator(line) ? Mode.STATUS : Mode.LISTING;
            ctx.fireChannelRead(line);
            return true;
        }
        Pop3Exchange.Expect expect = exchange.next();
        if (!Pop3Exchange.isOk(line) || expect == Pop3Exchange.Expect.SINGLE) {
            ctx.fireChannelRead(line);
        } else if (expect == Pop3Exchange.Expect.MULTI) {
            ctx.fireChannelRead(line);
            mode = Mode.LISTING;
        } else {
            status = line;
            message = new HeldMessage(scan.spool(), ctx.alloc());
            unstuffer.reset();
            mode = Mode.COLLECT;
        }
        return true;
    }

    /** Blocking work on the scan executor that returns what to do next on the event loop. */
    @FunctionalInterface
    private interface Work {
        Runnable run() throws IOException;
    }

    /**
     * Stops both legs reading and runs {@code work} on the executor, then goes on reading.
     *
     * @param collecting whether the message is still coming (for a failure of the work)
     */
    private void busy(ChannelHandlerContext ctx, Work work, boolean collecting) {
        mode = Mode.BUSY;
        ctx.channel().config().setAutoRead(false);
        client.config().setAutoRead(false);
        try {
            scan.executor().execute(() -> {
                Runnable then;
                try {
                    then = work.run();
                } catch (IOException | RuntimeException e) {
                    LOG.log(Level.WARNING, "scanning a message for " + client.remoteAddress() + " failed", e);
                    then = failed(collecting);
                }
                Runnable next = then;
                ctx.executor().execute(() -> resume(ctx, next));
            });
        } catch (RejectedExecutionException e) {
            ctx.close();
        }
    }

    private void resume(ChannelHandlerContext ctx, Runnable then) {
        then.run();
        if (removed) {
            release();
            return;
        }
        process(ctx);
        // what process() passed on waits in the relay until a read completes: this is one
        ctx.fireChannelReadComplete();
        if (mode != Mode.BUSY) {
            ctx.channel().config().setAutoRead(true);
            client.config().setAutoRead(true);
        }
    }

    /** Appends the held message's memory to its spool file, then collects on. Scan executor; blocking. */
    private Runnable spill() throws IOException {
        message.spill();
        return () -> mode = Mode.COLLECT;
    }

    /**
     * After a failure of the executor's work (a full disk, say): a message still coming is read
     * to its end and refused; one whose answer had begun cuts the client off, since the rest of
     * the answer is lost. Scan executor.
     */
    private Runnable failed(boolean collecting) {
        boolean answered = status == null;
        closeMessage();
        if (collecting) {
            refusal = NOT_SCANNED;
            return () -> mode = Mode.DISCARD;
        }
        if (answered) {
            client.close();
        } else {
            client.writeAndFlush(Unpooled.copiedBuffer(NOT_SCANNED, StandardCharsets.US_ASCII));
        }
        return () -> mode = Mode.STATUS;
    }

    /** Scans the held message, sends the client what it gets and drops it. Scan executor; blocking. */
    private Runnable judge() throws IOException {
        try {
            answer();
        } finally {
            closeMessage();
        }
        return () -> mode = Mode.STATUS;
    }

    private void answer() throws IOException {
        MessageScanner.Verdict verdict;
        try {
            verdict = scan.scanner().scan(message.content());
        } catch (RuntimeException e) {
            verdict = new MessageScanner.Verdict.Unavailable(String.valueOf(e));
        }
        switch (verdict) {
            case MessageScanner.Verdict.Clean c -> {
                try (InputStream content = message.open()) {
                    send(content);
                }
            }
            case MessageScanner.Verdict.Infected infected -> {
                LOG.log(Level.INFO, () -> "replaced a message infected with " + infected.threat()
                        + " (" + infected.scanner() + ") for " + client.remoteAddress());
                send(VirusNotice.open(infected.scanner(), infected.threat(), message.size()));
            }
            case MessageScanner.Verdict.Unavailable unavailable -> {
                LOG.log(Level.WARNING, () -> "message not scanned: " + unavailable.reason());
                client.writeAndFlush(Unpooled.copiedBuffer(NOT_SCANNED, StandardCharsets.US_ASCII));
            }
        }
    }

    private void send(InputStream content) throws IOException {
        client.write(status);
        status = null;
        StuffedSender.send(client, content, new TopLimit(TopLimit.ALL));
    }

    /**
     * Releases the held message and status line. Event loop: a spooled message's file is deleted
     * on the executor, since that is file I/O.
     */
    private void release() {
        if (message != null && message.spilled()) {
            HeldMessage held = message;
            message = null;
            try {
                scan.executor().execute(() -> close(held));
            } catch (RejectedExecutionException stopped) {
                close(held);
            }
        }
        closeMessage();
    }

    /** Releases the held message and status line; blocking when the message was spooled. */
    private void closeMessage() {
        ReferenceCountUtil.safeRelease(status);
        status = null;
        if (message != null) {
            close(message);
            message = null;
        }
    }

    private static void close(HeldMessage held) {
        try {
            held.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot remove a spooled message", e);
        }
    }

    private static boolean isTerminator(ByteBuf line) {
        int i = line.readerIndex();
        int n = line.readableBytes();
        return line.getByte(i) == '.' && (n == 2 && line.getByte(i + 1) == '\n'
                || n == 3 && line.getByte(i + 1) == '\r' && line.getByte(i + 2) == '\n');
    }
}
