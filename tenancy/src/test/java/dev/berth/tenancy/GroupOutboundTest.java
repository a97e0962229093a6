package dev.berth.tenancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.config.PortRange;
import dev.berth.config.SourceAddressPolicy;
import dev.berth.service.OutboundRefusedException;
import dev.berth.service.OutboundSocket;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Outbound connections of a group leave from its address (127.0.0.x is local on every Linux host). */
class GroupOutboundTest {

    private final MultiThreadIoEventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());

    @AfterEach
    void stop() {
        loops.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.MILLISECONDS).syncUninterruptibly();
    }

    private GroupOutbound outbound(SourceAddressPolicy policy, Optional<PortRange> ports, String... addresses) throws Exception {
        List<InetAddress> list = new java.util.ArrayList<>();
        for (String a : addresses) {
            list.add(InetAddress.getByName(a));
        }
        return new GroupOutbound(new SourceAddresses("acme", list, policy, ports), loops);
    }

    /** A loopback server whose accept waits at most 5 s. */
    private static ServerSocket server() throws Exception {
        ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        server.setSoTimeout(5000);
        return server;
    }

    private Bootstrap bootstrap() {
        return new Bootstrap().group(loops).channel(EpollSocketChannel.class).handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new ChannelInboundHandlerAdapter());
            }
        });
    }

    @Test
    void aNettyClientLeavesFromTheGroupsAddressWithAPortFromItsRange() throws Exception {
        try (ServerSocket server = server()) {
            GroupOutbound outbound = outbound(SourceAddressPolicy.ENFORCE, Optional.of(new PortRange(46100, 46199)), "127.0.0.5");

            Future<Channel> connect = outbound.connect(bootstrap(), (InetSocketAddress) server.getLocalSocketAddress());
            try (Socket accepted = server.accept()) {
                assertThat(connect.await(5000)).isTrue();
                assertThat(connect.isSuccess()).as("connected: %s", connect.cause()).isTrue();
                InetSocketAddress peer = (InetSocketAddress) accepted.getRemoteSocketAddress();
                assertThat(peer.getAddress()).isEqualTo(InetAddress.getByName("127.0.0.5"));
                assertThat(peer.getPort()).isBetween(46100, 46199);
                connect.getNow().close().syncUninterruptibly();
            }
        }
    }

    @Test
    void enforceRefusesATargetOfAFamilyTheGroupHasNoAddressOf() throws Exception {
        GroupOutbound outbound = outbound(SourceAddressPolicy.ENFORCE, Optional.empty(), "2001:db8::1");

        Future<Channel> connect = outbound.connect(bootstrap(), new InetSocketAddress(InetAddress.getLoopbackAddress(), 9));

        assertThat(connect.await(5000)).isTrue();
        assertThat(connect.cause()).isInstanceOf(OutboundRefusedException.class)
                .hasMessage("group acme has no IPv4 address (source-address: enforce)");
    }

    @Test
    void preferFallsBackToTheKernelsChoiceWhenTheAddressIsNotOnTheHost() throws Exception {
        try (ServerSocket server = server()) {
            GroupOutbound outbound = outbound(SourceAddressPolicy.PREFER, Optional.empty(), "192.0.2.77");

            Future<Channel> connect = outbound.connect(bootstrap(), (InetSocketAddress) server.getLocalSocketAddress());
            try (Socket accepted = server.accept()) {
                assertThat(connect.await(5000)).isTrue();
                assertThat(connect.isSuccess()).as("connected: %s", connect.cause()).isTrue();
                assertThat(((InetSocketAddress) accepted.getRemoteSocketAddress()).getAddress())
                        .isEqualTo(InetAddress.getByName("127.0.0.1"));
                connect.getNow().close().syncUninterruptibly();
            }
        }
    }

    @Test
    void enforceRefusesWhenTheAddressIsNotOnTheHost() throws Exception {
        GroupOutbound outbound = outbound(SourceAddressPolicy.ENFORCE, Optional.empty(), "192.0.2.77");

        assertThatThrownBy(() -> outbound.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9),
                Duration.ofSeconds(5), Duration.ofSeconds(5)))
                .isInstanceOf(OutboundRefusedException.class).hasMessageStartingWith("group acme cannot bind 192.0.2.77");
    }

    @Test
    void aBlockingSocketReadsAndWritesFromTheGroupsAddress() throws Exception {
        try (ServerSocket server = server()) {
            GroupOutbound outbound = outbound(SourceAddressPolicy.ENFORCE, Optional.empty(), "127.0.0.6");
            try (OutboundSocket socket = outbound.open((InetSocketAddress) server.getLocalSocketAddress(),
                    Duration.ofSeconds(5), Duration.ofSeconds(5));
                 Socket accepted = server.accept()) {
                assertThat(socket.localAddress().getAddress()).isEqualTo(InetAddress.getByName("127.0.0.6"));
                accepted.getOutputStream().write("220 hello\r\n".getBytes(StandardCharsets.US_ASCII));
                byte[] greeting = new byte[11];
                assertThat(socket.input().readNBytes(greeting, 0, 11)).isEqualTo(11);
                assertThat(new String(greeting, StandardCharsets.US_ASCII)).isEqualTo("220 hello\r\n");
                socket.output().write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(accepted.getInputStream().readNBytes(6), StandardCharsets.US_ASCII)).isEqualTo("QUIT\r\n");
                accepted.close();
                assertThat(socket.input().read()).isEqualTo(-1);
                assertThat(socket.isOpen()).isFalse();
            }
        }
    }

    @Test
    void aSilentPeerTimesTheReadOut() throws Exception {
        try (ServerSocket server = server()) {
            GroupOutbound outbound = outbound(SourceAddressPolicy.ENFORCE, Optional.empty(), "127.0.0.6");
            try (OutboundSocket socket = outbound.open((InetSocketAddress) server.getLocalSocketAddress(),
                    Duration.ofSeconds(5), Duration.ofMillis(50));
                 Socket accepted = server.accept()) {
                assertThatThrownBy(() -> socket.input().read()).isInstanceOf(java.net.SocketTimeoutException.class);
            }
        }
    }
}
