package dev.berth.http;

import dev.berth.service.ServiceContext;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An http service on a real loopback port (port 0), with two event loops, for the conversation
 * tests; and curl to talk to it. {@link #close} stops everything within a bounded wait.
 */
final class LoopbackServer implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(20);
    static final Path CURL = Path.of("/usr/bin/curl");

    final AtomicInteger served = new AtomicInteger();
    final HttpServiceHandler service;
    private final EventLoopGroup group;
    private final Channel server;

    LoopbackServer(HttpSettings settings) {
        service = HttpServiceHandler.create(settings, new ServiceContext("web", served::incrementAndGet),
                InstantSource.system());
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        service.initChannel(channel);
                    }
                })
                .bind(InetAddress.getLoopbackAddress(), 0)
                .syncUninterruptibly()
                .channel();
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + port() + "/");
    }

    /** Runs curl with {@code arguments}; returns its exit status and output (stdout then stderr). */
    static Curl curl(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(CURL.toString(), "-sS", "--http1.1",
                "--max-time", Long.toString(TIMEOUT.toSeconds())));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("curl did not finish");
        }
        return new Curl(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    /** What curl said. */
    record Curl(int status, String output) {
    }

    @Override
    public void close() {
        service.close();
        server.close().awaitUninterruptibly(TIMEOUT.toMillis());
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(TIMEOUT.toMillis());
    }
}
