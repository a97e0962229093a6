package dev.berth.mailproxy;

import dev.berth.config.HostPort;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Runtimes for frontends on an EmbeddedChannel, and the every-split-point driver. */
final class TestRuntime {

    private TestRuntime() {
    }

    /** A generic proxy allowing only 127.0.0.1:11110 / :11143; nothing is ever connected in these tests. */
    static ProxyRuntime generic(Protocol protocol) {
        int port = protocol == Protocol.POP3 ? 11110 : 11143;
        UpstreamRouter router = new UpstreamRouter(new Route.UserAtHost(), List.of(new HostPort("127.0.0.1", port)),
                protocol.defaultPort(), Optional.empty());
        ProxySettings settings = new ProxySettings(protocol, new Route.UserAtHost(), List.of(new HostPort("127.0.0.1", port)),
                UpstreamTls.NONE, true, false, Optional.empty(), Optional.empty(), Duration.ofSeconds(1), Duration.ofMinutes(1),
                ProxySettings.DEFAULT_SCAN_MAX_SIZE);
        return new ProxyRuntime(settings, router, new UpstreamConnector(UpstreamTls.NONE, null, Duration.ofSeconds(1),
                dev.berth.service.Outbound.DIRECT), Optional.empty(), Optional.empty(), () -> { });
    }

    /** Everything the channel wrote, as text. */
    static String outbound(EmbeddedChannel channel) {
        StringBuilder out = new StringBuilder();
        ByteBuf buf;
        while ((buf = channel.readOutbound()) != null) {
            out.append(buf.toString(StandardCharsets.UTF_8));
            buf.release();
        }
        return out.toString();
    }

    /** A frontend of a {@link #generic} proxy on a fresh channel; its greeting is waiting outbound. */
    static EmbeddedChannel frontend(Protocol protocol) {
        return new EmbeddedChannel(new ProxyFrontend(generic(protocol)));
    }

    /** Writes {@code input} (UTF-8) into the channel and returns everything written since the last read. */
    static String send(EmbeddedChannel channel, String input) {
        channel.writeInbound(Unpooled.copiedBuffer(input, StandardCharsets.UTF_8));
        return outbound(channel);
    }

    /**
     * Feeds {@code input} in two writes, split at every point, to a fresh {@link #frontend} each
     * time, and returns the transcripts (greeting included); all must be equal to the unsplit one.
     */
    static List<String> everySplit(Protocol protocol, String input) {
        byte[] bytes = input.getBytes(StandardCharsets.UTF_8);
        List<String> transcripts = new ArrayList<>();
        for (int split = 0; split <= bytes.length; split++) {
            EmbeddedChannel channel = frontend(protocol);
            channel.writeInbound(Unpooled.wrappedBuffer(bytes, 0, split));
            if (channel.isOpen()) {
                channel.writeInbound(Unpooled.wrappedBuffer(bytes, split, bytes.length - split));
            }
            channel.runPendingTasks();
            transcripts.add(outbound(channel));
            channel.finishAndReleaseAll();
        }
        return transcripts;
    }
}
