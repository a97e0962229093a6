package dev.berth.tenancy;

import dev.berth.service.OutboundSocket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A connected Netty channel read and written in blocking style, so that a blocking client (the
 * SMTP relay, on a virtual thread) gets what only an epoll channel can be given: a bound source
 * address with IP_BIND_ADDRESS_NO_PORT. The channel's event loop queues what arrives; a read takes
 * from the queue, waiting up to the read timeout; a write waits until the bytes are written. When
 * more than {@value #HIGH_WATER} bytes wait unread, the channel stops reading until they are
 * taken. One reader and one writer thread at a time.
 */
final class BridgedSocket implements OutboundSocket {

    static final int HIGH_WATER = 1 << 20;
    private static final byte[] END = new byte[0];

    private final Channel channel;
    private final Bridge bridge;
    private final long timeoutMillis;
    private final InputStream input = new Input();
    private final OutputStream output = new Output();

    BridgedSocket(Channel channel, Bridge bridge, Duration readTimeout) {
        this.channel = channel;
        this.bridge = bridge;
        this.timeoutMillis = readTimeout.toMillis();
    }

    /** The event loop's side: queues what arrives, and the end. */
    @ChannelHandler.Sharable
    static final class Bridge extends ChannelInboundHandlerAdapter {

        private final LinkedBlockingQueue<byte[]> arrived = new LinkedBlockingQueue<>();
        private final AtomicLong queued = new AtomicLong();
        private volatile Throwable failure;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                byte[] bytes = new byte[buf.readableBytes()];
                buf.readBytes(bytes);
                arrived.add(bytes);
                if (queued.addAndGet(bytes.length) > HIGH_WATER) {
                    ctx.channel().config().setAutoRead(false);
                }
            } finally {
                buf.release();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            arrived.add(END);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            failure = cause;
            ctx.close();
        }
    }

    private final class Input extends InputStream {

        private byte[] chunk = new byte[0];
        private int at;
        private boolean ended;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            while (at == chunk.length) {
                if (ended || !next()) {
                    ended = true;
                    return -1;
                }
            }
            int n = Math.min(length, chunk.length - at);
            System.arraycopy(chunk, at, into, offset, n);
            at += n;
            return n;
        }

        /** Takes the next chunk, waiting up to the timeout; false at the end of the stream. */
        private boolean next() throws IOException {
            byte[] taken;
            try {
                taken = bridge.arrived.poll(timeoutMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while reading", e);
            }
            if (taken == null) {
                throw new SocketTimeoutException("no data from " + channel.remoteAddress() + " in " + timeoutMillis + " ms");
            }
            if (taken == END) {
                bridge.arrived.add(END);
                if (bridge.failure != null) {
                    throw new IOException(bridge.failure.getMessage(), bridge.failure);
                }
                return false;
            }
            if (bridge.queued.addAndGet(-taken.length) <= HIGH_WATER / 2 && !channel.config().isAutoRead()) {
                channel.config().setAutoRead(true);
            }
            chunk = taken;
            at = 0;
            return true;
        }

        @Override
        public int available() {
            return chunk.length - at + (int) Math.min(Integer.MAX_VALUE, bridge.queued.get());
        }
    }

    private final class Output extends OutputStream {

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            ChannelFuture written = channel.writeAndFlush(Unpooled.copiedBuffer(bytes, offset, length));
            try {
                if (!written.await(timeoutMillis)) {
                    throw new SocketTimeoutException("write to " + channel.remoteAddress() + " took over " + timeoutMillis + " ms");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while writing", e);
            }
            if (!written.isSuccess()) {
                throw new IOException("write to " + channel.remoteAddress() + " failed: " + written.cause().getMessage(),
                        written.cause());
            }
        }
    }

    @Override
    public InputStream input() {
        return input;
    }

    @Override
    public OutputStream output() {
        return output;
    }

    @Override
    public boolean isOpen() {
        return channel.isActive();
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        channel.close();
    }
}
