package dev.berth.mesh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2FrameLogger;
import io.netty.handler.logging.LogLevel;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.JdkLoggerFactory;
import org.junit.jupiter.api.Test;

class DebugTest {
    static {
        InternalLoggerFactory.setDefaultFactory(JdkLoggerFactory.INSTANCE);
    }

    private static byte[] drain(EmbeddedChannel channel) {
        channel.runPendingTasks();
        ByteBuf all = Unpooled.buffer();
        for (Object out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
            System.out.println("DBG out " + out.getClass().getSimpleName());
            all.writeBytes((ByteBuf) out);
        }
        byte[] bytes = ByteBufUtil.getBytes(all);
        return bytes;
    }

    @Test
    void dump() {
        EmbeddedChannel client = new EmbeddedChannel();
        ClientStreams streams = new ClientStreams("a", System::nanoTime, new ClientStreams.Events() {
            public void onHello(String node) { System.out.println("DBG hello " + node); }
            public void onPingAck(long sent) { System.out.println("DBG pingack"); }
            public void onDrain() { System.out.println("DBG drain"); }
        });
        Http2ConnectionHandler h = new Http2ConnectionHandlerBuilder().frameListener(streams)
                .frameLogger(new Http2FrameLogger(LogLevel.INFO, "client")).initialSettings(MeshWire.settings()).build();
        client.pipeline().addLast(h);
        streams.attach(h, client.pipeline().context(h));
        streams.hello();
        byte[] c = drain(client);
        System.out.println("DBG client open " + client.isOpen() + " bytes " + c.length + " " + ByteBufUtil.hexDump(c));
        EmbeddedChannel server = new EmbeddedChannel();
        MeshServer.install(server, "b", (r, o) -> () -> { }, System::nanoTime);
        server.writeInbound(Unpooled.wrappedBuffer(c));
        byte[] s = drain(server);
        System.out.println("DBG server open " + server.isOpen() + " bytes " + s.length + " " + ByteBufUtil.hexDump(s));
        client.writeInbound(Unpooled.wrappedBuffer(s));
        System.out.println("DBG client open after " + client.isOpen());
    }
}
