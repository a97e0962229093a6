package dev.berth.it;

import dev.berth.config.ConfigSection;
import dev.berth.service.ServiceContext;
import dev.berth.service.ServiceHandler;
import dev.berth.service.ServiceKind;
import dev.berth.service.ServiceSettings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A kind that fails on request, for the process tests of what a worker does with an Error: it
 * reads one byte per connection and then
 *
 * <pre>
 *   e  throws an Error in its Netty handler (and lets it go on down the pipeline, as a kind must)
 *   v  throws an Error on a virtual thread it started
 *   o  fills the heap until the JVM throws OutOfMemoryError, on the event loop
 *   x  throws a RuntimeException in its handler: only that connection ends
 *   anything else: answers "ok\n"
 * </pre>
 *
 * Found by the worker through {@code META-INF/services} when the it module's test classes are on
 * the master's class path ({@link Berth#start(java.nio.file.Path, String, java.nio.file.Path, List)}).
 */
public final class FaultKind implements ServiceKind {

    /** For {@link java.util.ServiceLoader}. */
    public FaultKind() {
    }

    @Override
    public String name() {
        return "fault";
    }

    @Override
    public ServiceSettings parseSettings(ConfigSection section) {
        section.rejectUnknownKeys(Set.of());
        return new FaultSettings();
    }

    @Override
    public ServiceHandler newHandler(ServiceSettings settings, ServiceContext context) {
        return channel -> channel.pipeline().addLast(new FaultHandler());
    }

    /** No settings. */
    record FaultSettings() implements ServiceSettings {
    }

    private static final class FaultHandler extends ChannelInboundHandlerAdapter {
        private final List<byte[]> hog = new ArrayList<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            byte command;
            try {
                command = ((ByteBuf) msg).readByte();
            } finally {
                ReferenceCountUtil.release(msg);
            }
            switch (command) {
                case 'e' -> throw new AssertionError("fault: an Error in a handler");
                case 'v' -> Thread.ofVirtual().start(() -> {
                    throw new AssertionError("fault: an Error on a virtual thread");
                });
                case 'o' -> {
                    while (true) {
                        hog.add(new byte[1 << 20]);
                    }
                }
                case 'x' -> throw new IllegalStateException("fault: an exception in a handler");
                default -> ctx.writeAndFlush(Unpooled.copiedBuffer("ok\n", StandardCharsets.US_ASCII));
            }
        }
    }
}
