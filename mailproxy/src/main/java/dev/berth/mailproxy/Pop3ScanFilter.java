package dev.berth.mailproxy;

import dev.berth.mailwire.DotStuffer;
import dev.berth.mailwire.DotUnstuffer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * On the upstream leg of a scanning POP3 session, before the relay: frames the upstream's
 * responses with the {@link Pop3Exchange}, passes status lines and listings through, and holds
 * each RETR / TOP message until it is scanned:
 *
 * <pre>
 *   STATUS --+OK to RETR/TOP--> COLLECT --.CRLF--> SCANNING --verdict--> STATUS
 *     |  \--+OK to LIST/UIDL/CAPA--> LISTING --.CRLF--> STATUS   \--past maxSize--> DISCARD
 *     \--anything else: one line, passed on                        --.CRLF--> -ERR, STATUS
 * </pre>
 *
 * The scan runs on the scan executor; meanwhile both legs stop reading and upstream bytes that
 * were already read wait here. A clean message goes out as received (byte for byte); an infected
 * one is replaced by a {@link VirusNotice} of the same size (so LIST and STAT stay true); one that
 * cannot be judged is answered {@code -ERR [SYS/TEMP]}. At most {@code maxSize} bytes of a message
 * are held: a larger one is read to its end and dropped, and the client gets {@code -ERR [SYS/PERM]}
 * (it would never pass unscanned). Upstream event loop; never blocks.
 */
final class Pop3ScanFilter extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = System.getLogger(Pop3ScanFilter.class.getName());

    private enum Mode { STATUS, LISTING, COLLECT, DISCARD, SCANNING }

    private final Pop3Exchange exchange;
    private final MessageScanner scanner;
    private final Executor executor;
    private final Channel client;
    private final long maxSize;
    private ByteBuf in;
    private ByteBuf status;
    private ByteBuf message;
    private Mode mode = Mode.STATUS;
    private boolean removed;

    /**
     * @param maxSize the most bytes of one message (dot-stuffed, as received) held for a scan
     */
    Pop3ScanFilter(Pop3Exchange exchange, MessageScanner scanner, Executor executor, Channel client, long maxSize) {
        this.exchange = exchange;
        this.scanner = scanner;
        this.executor = executor;
        this.client = client;
        this.maxSize = maxSize;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        in = ctx.alloc().buffer();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        removed = true;
        ReferenceCountUtil.safeRelease(in);
        release();
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
        while (mode != Mode.SCANNING) {
            int lf = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
            if (lf < 0) {
                break;
            }
            int length = lf + 1 - in.readerIndex();
            if (mode == Mode.COLLECT) {
                if (isTerminator(in, in.readerIndex(), length)) {
                    in.skipBytes(length);
                    scan(ctx);
                } else if (message.readableBytes() + (long) length > maxSize) {
                    in.skipBytes(length);
                    release();
                    mode = Mode.DISCARD;
                } else {
                    message.writeBytes(in, length);
                }
                continue;
            }
            if (mode == Mode.DISCARD) {
                boolean end = isTerminator(in, in.readerIndex(), length);
                in.skipBytes(length);
                if (end) {
                    LOG.log(Level.WARNING, () -> "refused a message larger than scan-max-size " + maxSize
                            + " to " + client.remoteAddress());
                    ctx.fireChannelRead(Unpooled.copiedBuffer("-ERR [SYS/PERM] the message is larger than this proxy "
                            + "scans (" + maxSize + " bytes); fetch it another way\r\n", StandardCharsets.US_ASCII));
                    mode = Mode.STATUS;
                }
                continue;
            }
            // a copy: the accumulation buffer is compacted below, under any slice of it
            ByteBuf line = in.readBytes(length);
            switch (mode) {
                case STATUS -> onStatus(ctx, line);
                case LISTING -> {
                    boolean end = isTerminator(line, line.readerIndex(), length);
                    ctx.fireChannelRead(line);
                    if (end) {
                        mode = Mode.STATUS;
                    }
                }
                case COLLECT, DISCARD -> throw new IllegalStateException("collecting");
                case SCANNING -> throw new IllegalStateException("reading while scanning");
            }
        }
        in.discardReadBytes();
    }

    private void onStatus(ChannelHandlerContext ctx, ByteBuf line) {
        Pop3Exchange.Expect expect = exchange.next();
        if (!Pop3Exchange.isOk(line) || expect == Pop3Exchange.Expect.SINGLE) {
            ctx.fireChannelRead(line);
        } else if (expect == Pop3Exchange.Expect.MULTI) {
            ctx.fireChannelRead(line);
            mode = Mode.LISTING;
        } else {
            status = line;
            message = ctx.alloc().buffer();
            mode = Mode.COLLECT;
        }
    }

    private void scan(ChannelHandlerContext ctx) {
        mode = Mode.SCANNING;
        ctx.channel().config().setAutoRead(false);
        client.config().setAutoRead(false);
        ByteBuf unstuffed = Unpooled.buffer(message.readableBytes());
        DotUnstuffer.lenient().unstuff(message.duplicate(), unstuffed);
        byte[] plain = ByteBufUtil.getBytes(unstuffed);
        unstuffed.release();
        try {
            executor.execute(() -> {
                MessageScanner.Verdict verdict;
                try {
                    verdict = scanner.scan(plain);
                } catch (RuntimeException e) {
                    verdict = new MessageScanner.Verdict.Unavailable(String.valueOf(e));
                }
                MessageScanner.Verdict v = verdict;
                ctx.executor().execute(() -> finish(ctx, v, plain.length));
            });
        } catch (RejectedExecutionException e) {
            finish(ctx, new MessageScanner.Verdict.Unavailable("scanner stopped"), plain.length);
        }
    }

    private void finish(ChannelHandlerContext ctx, MessageScanner.Verdict verdict, int size) {
        if (removed) {
            return;
        }
        switch (verdict) {
            case MessageScanner.Verdict.Clean c -> {
                ctx.fireChannelRead(status);
                ctx.fireChannelRead(message);
                ctx.fireChannelRead(terminator());
            }
            case MessageScanner.Verdict.Infected infected -> {
                LOG.log(Level.INFO, () -> "replaced a message infected with " + infected.threat()
                        + " (" + infected.scanner() + ") for " + client.remoteAddress());
                message.release();
                ctx.fireChannelRead(status);
                byte[] notice = VirusNotice.build(infected.scanner(), infected.threat(), size);
                ByteBuf stuffed = ctx.alloc().buffer(notice.length + 8);
                DotStuffer stuffer = new DotStuffer();
                stuffer.stuff(notice, 0, notice.length, stuffed);
                stuffer.finish(stuffed);
                ctx.fireChannelRead(stuffed);
            }
            case MessageScanner.Verdict.Unavailable unavailable -> {
                LOG.log(Level.WARNING, () -> "message not scanned: " + unavailable.reason());
                status.release();
                message.release();
                ctx.fireChannelRead(Unpooled.copiedBuffer(
                        "-ERR [SYS/TEMP] the message could not be scanned, try again later\r\n", StandardCharsets.US_ASCII));
            }
        }
        status = null;
        message = null;
        mode = Mode.STATUS;
        ctx.fireChannelReadComplete();
        process(ctx);
        if (mode != Mode.SCANNING) {
            ctx.fireChannelReadComplete();
            ctx.channel().config().setAutoRead(true);
            client.config().setAutoRead(true);
        }
    }

    private static ByteBuf terminator() {
        return Unpooled.wrappedBuffer(new byte[] {'.', '\r', '\n'});
    }

    private static boolean isTerminator(ByteBuf line, int i, int n) {
        return line.getByte(i) == '.' && (n == 2 && line.getByte(i + 1) == '\n'
                || n == 3 && line.getByte(i + 1) == '\r' && line.getByte(i + 2) == '\n');
    }

    private void release() {
        ReferenceCountUtil.safeRelease(status);
        ReferenceCountUtil.safeRelease(message);
        status = null;
        message = null;
    }
}
