package dev.berth.mailproxy;

import dev.berth.config.ConfigSection;
import dev.berth.service.ServiceContext;
import dev.berth.service.ServiceHandler;
import dev.berth.service.ServiceKind;
import dev.berth.service.ServiceSettings;
import dev.berth.testpeers.Commands;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A proxy service on a loopback port chosen by the system, with NIO event loops. */
final class TestProxy implements AutoCloseable {

    final AtomicInteger served;
    final ServiceHandler handler;
    final int port;
    private final EventLoopGroup group;
    private final Channel server;

    private TestProxy(AtomicInteger served, ServiceHandler handler, EventLoopGroup group, Channel server) {
        this.served = served;
        this.handler = handler;
        this.group = group;
        this.server = server;
        this.port = ((InetSocketAddress) server.localAddress()).getPort();
    }

    /**
     * Starts the kind with the YAML of its section ({@code scanners} the top-level section's
     * YAML, possibly empty), read as if from {@code dir/berth.yaml}.
     */
    static TestProxy start(ServiceKind kind, Path dir, String sectionYaml, String scannersYaml) throws InterruptedException {
        Path file = dir.resolve("berth.yaml");
        ConfigSection section = ConfigSection.parseYaml(file, sectionYaml);
        ConfigSection scanners = ConfigSection.parseYaml(file, scannersYaml);
        Protocol protocol = kind instanceof Pop3ProxyKind ? Protocol.POP3 : Protocol.IMAP;
        ServiceSettings settings = ProxySettings.parse(section, scanners, protocol);
        AtomicInteger served = new AtomicInteger();
        ServiceHandler handler = kind.newHandler(settings, new ServiceContext("test", served::incrementAndGet));
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<NioSocketChannel>() {
                    @Override
                    protected void initChannel(NioSocketChannel ch) {
                        handler.initChannel(ch);
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
        return new TestProxy(served, handler, group, server);
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        handler.close();
    }

    /** Runs a Python 3 script with arguments, bounded; returns its output (stdout and stderr). */
    static String python(Path dir, String script, List<String> args) throws Exception {
        Path file = java.nio.file.Files.createTempFile(dir, "client", ".py");
        java.nio.file.Files.writeString(file, script);
        List<String> command = new java.util.ArrayList<>(List.of("python3", file.toString()));
        command.addAll(args);
        return Commands.output(command);
    }
}
