package dev.berth.pop3;

import dev.berth.service.ServiceContext;
import dev.berth.service.TlsSettings;
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
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The pop3 service handler behind an in-test NIO server on 127.0.0.1, port 0. */
final class TestServer implements AutoCloseable {

    final AtomicInteger served = new AtomicInteger();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final Pop3ServiceHandler handler;
    private final Channel server;

    TestServer(Pop3Settings settings) {
        this(settings, java.util.Optional.empty(), 0);
    }

    /**
     * Over given maildrops instead of the settings' users and root; without TLS; each accepted
     * socket with a fixed send buffer (no autotuning), so that the bytes in flight are bounded.
     */
    TestServer(Pop3Settings settings, Maildrops maildrops, int sendBuffer) {
        this(settings, java.util.Optional.of(maildrops), sendBuffer);
    }

    private TestServer(Pop3Settings settings, java.util.Optional<Maildrops> maildrops, int sendBuffer) {
        handler = maildrops.isPresent()
                ? new Pop3ServiceHandler(settings, maildrops.get(), java.util.Optional.empty(), served::incrementAndGet)
                : Pop3ServiceHandler.create(settings, new ServiceContext("pop3", served::incrementAndGet));
        ServerBootstrap bootstrap = new ServerBootstrap();
        if (sendBuffer > 0) {
            bootstrap.childOption(io.netty.channel.ChannelOption.SO_SNDBUF, sendBuffer);
        }
        server = bootstrap
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        handler.initChannel(ch);
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .syncUninterruptibly()
                .channel();
    }

    Pop3ServiceHandler handler() {
        return handler;
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
        handler.close();
        server.close().awaitUninterruptibly(10, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    /** A self-signed EC certificate for localhost made by openssl in {@code dir}. */
    static TlsSettings selfSigned(Path dir) throws IOException, InterruptedException {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process openssl = new ProcessBuilder(List.of("openssl", "req", "-x509", "-newkey", "ec",
                "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key.toString(),
                "-out", cert.toString(), "-days", "2", "-subj", "/CN=localhost"))
                .redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
        if (!openssl.waitFor(30, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
            openssl.destroyForcibly();
            throw new IOException("openssl failed, see " + dir.resolve("openssl.log"));
        }
        return new TlsSettings(cert, key);
    }
}
